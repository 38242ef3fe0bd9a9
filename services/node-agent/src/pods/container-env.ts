import type { ClusterPort } from '../ports/cluster-port';
import type { Container, EnvVar, Pod } from './pod-types';
import { Quantity } from '@bosun/api-types';

/** A container cannot be created from its spec yet (Kubernetes: CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

export interface EnvContext {
  readonly pod: Pod;
  readonly container: Container;
  readonly cluster: ClusterPort;
  readonly podIP?: string;
  readonly hostIP: string;
  /** Node allocatable, used for resourceFieldRef when the container sets no limit. */
  readonly nodeCpu: number;
  readonly nodeMemoryBytes: number;
}

/** The container's environment: literals and valueFrom (configMap, secret, field, resource). */
export async function resolveEnv(ctx: EnvContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of ctx.container.env ?? []) {
    const value = await resolveOne(ctx, v, out);
    if (value !== undefined) out[v.name] = value;
  }
  return out;
}

async function resolveOne(
  ctx: EnvContext,
  v: EnvVar,
  earlier: Record<string, string>,
): Promise<string | undefined> {
  if (v.value !== undefined) return expand(v.value, earlier);
  const from = v.valueFrom;
  if (!from) return '';
  const ns = ctx.pod.metadata.namespace ?? 'default';
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = await ctx.cluster.getConfigMap(ns, ref.name ?? '');
    const value = cm?.data?.[ref.key];
    if (value !== undefined) return value;
    if (ref.optional) return undefined;
    throw new ContainerConfigError(
      cm
        ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`
        : `configmap "${ref.name}" not found`,
    );
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const secret = await ctx.cluster.getSecret(ns, ref.name ?? '');
    const value = secret?.data?.[ref.key];
    if (value !== undefined) return Buffer.from(value, 'base64').toString('utf8');
    if (ref.optional) return undefined;
    throw new ContainerConfigError(
      secret
        ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`
        : `secret "${ref.name}" not found`,
    );
  }
  if (from.fieldRef) return fieldValue(ctx, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) return resourceValue(ctx, from.resourceFieldRef);
  return '';
}

/** `$(VAR)` references to variables defined earlier; `$$` escapes. */
function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name?: string) => {
    if (whole === '$$') return '$';
    return name !== undefined && name in vars ? vars[name]! : whole;
  });
}

function fieldValue(ctx: EnvContext, path: string): string {
  const { metadata, spec } = ctx.pod;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (metadata[sub[1] as 'labels' | 'annotations'] ?? {})[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return metadata.name ?? '';
    case 'metadata.namespace':
      return metadata.namespace ?? 'default';
    case 'metadata.uid':
      return metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(metadata.labels);
    case 'metadata.annotations':
      return formatMap(metadata.annotations);
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? '';
    case 'status.podIP':
      return ctx.podIP ?? '';
    case 'status.podIPs':
      return ctx.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${path}`);
  }
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join('\n');
}

function resourceValue(
  ctx: EnvContext,
  ref: { containerName?: string; resource: string; divisor?: string | number },
): string {
  const container = ref.containerName
    ? [...ctx.pod.spec.containers, ...(ctx.pod.spec.initContainers ?? [])].find(
        (c) => c.name === ref.containerName,
      )
    : ctx.container;
  const [kind, name] = ref.resource.split('.') as [string, string];
  const table = kind === 'limits' ? container?.resources?.limits : container?.resources?.requests;
  const fallback = name === 'cpu' ? ctx.nodeCpu : name === 'memory' ? ctx.nodeMemoryBytes : 0;
  const amount =
    Quantity.tryParse(table?.[name])?.toNumber() ??
    (kind === 'limits' ? fallback : name === 'cpu' ? 0 : 0);
  const divisor = Quantity.tryParse(ref.divisor ?? '1')?.toNumber() || 1;
  // Kubernetes rounds up: 250m of cpu with divisor 1 is "1".
  return String(Math.ceil(amount / divisor));
}
