import type { JsonSchema } from './json-schema';

/**
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` of the upstream schemas, which the
 * type files of `kubernetes-models` do not carry. Keyed `<definition>/<field>`; a list without an
 * entry is atomic (a strategic merge patch replaces it whole).
 */
export interface PatchMeta {
  readonly strategy: string;
  readonly mergeKey?: string;
}

const core = 'io.k8s.api.core.v1';
const apps = 'io.k8s.api.apps.v1';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const byName = { strategy: 'merge', mergeKey: 'name' } as const;
const byType = { strategy: 'merge', mergeKey: 'type' } as const;
const byIp = { strategy: 'merge', mergeKey: 'ip' } as const;
const containerLists = (def: string): Record<string, PatchMeta> => ({
  [`${def}/ports`]: { strategy: 'merge', mergeKey: 'containerPort' },
  [`${def}/env`]: byName,
  [`${def}/volumeMounts`]: { strategy: 'merge', mergeKey: 'mountPath' },
  [`${def}/volumeDevices`]: { strategy: 'merge', mergeKey: 'devicePath' },
});

export const PATCH_METADATA: Readonly<Record<string, PatchMeta>> = {
  [`${meta}.ObjectMeta/finalizers`]: { strategy: 'merge' },
  [`${meta}.ObjectMeta/ownerReferences`]: { strategy: 'merge', mergeKey: 'uid' },
  [`${core}.PodSpec/containers`]: byName,
  [`${core}.PodSpec/initContainers`]: byName,
  [`${core}.PodSpec/ephemeralContainers`]: byName,
  [`${core}.PodSpec/volumes`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  [`${core}.PodSpec/imagePullSecrets`]: byName,
  [`${core}.PodSpec/hostAliases`]: byIp,
  [`${core}.PodSpec/topologySpreadConstraints`]: { strategy: 'merge', mergeKey: 'topologyKey' },
  [`${core}.PodSpec/schedulingGates`]: byName,
  [`${core}.PodSpec/resourceClaims`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  ...containerLists(`${core}.Container`),
  ...containerLists(`${core}.EphemeralContainer`),
  [`${core}.PodStatus/conditions`]: byType,
  [`${core}.PodStatus/podIPs`]: byIp,
  [`${core}.PodStatus/hostIPs`]: byIp,
  [`${core}.NodeStatus/conditions`]: byType,
  [`${core}.NodeStatus/addresses`]: byType,
  [`${core}.NodeSpec/podCIDRs`]: { strategy: 'merge' },
  [`${core}.NamespaceStatus/conditions`]: byType,
  [`${core}.PersistentVolumeClaimStatus/conditions`]: byType,
  [`${core}.ServiceSpec/ports`]: { strategy: 'merge', mergeKey: 'port' },
  [`${core}.ServiceAccount/secrets`]: byName,
  [`${apps}.DeploymentSpec/strategy`]: { strategy: 'retainKeys' },
  [`${apps}.DeploymentStatus/conditions`]: byType,
  [`${apps}.ReplicaSetStatus/conditions`]: byType,
  [`${apps}.DaemonSetStatus/conditions`]: byType,
  [`${apps}.StatefulSetStatus/conditions`]: byType,
  ['io.k8s.api.batch.v1.JobStatus/conditions']: byType,
};

/** Copies the table's entries for one definition into its property schemas. */
export function applyPatchMetadata(name: string, schema: JsonSchema): JsonSchema {
  if (schema.properties === undefined) return schema;
  const properties: Record<string, JsonSchema> = {};
  for (const [field, prop] of Object.entries(schema.properties)) {
    const m = PATCH_METADATA[`${name}/${field}`];
    properties[field] =
      m === undefined
        ? prop
        : {
            ...prop,
            'x-kubernetes-patch-strategy': m.strategy,
            ...(m.mergeKey === undefined ? {} : { 'x-kubernetes-patch-merge-key': m.mergeKey }),
          };
  }
  return { ...schema, properties };
}
