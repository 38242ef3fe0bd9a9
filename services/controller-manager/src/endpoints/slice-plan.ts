import type { Endpoint, EndpointSlice, ObjectMeta } from '@bosun/api-types';
import { sameJson } from '../workloads/canonical-json';
import { endpointKey, groupKey, type EndpointGroup } from './desired-slices';

/** The writes that take a Service's slices from what exists to what is desired. */
export interface SlicePlan {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: EndpointSlice[];
}

export interface SliceTemplate {
  /** Labels and owner references every slice of the Service carries. */
  readonly metadata: Pick<ObjectMeta, 'namespace' | 'generateName' | 'labels' | 'ownerReferences'>;
  readonly maxEndpoints: number;
}

/**
 * Kubernetes' reconcile with minimal churn: an existing slice keeps the endpoints still wanted
 * (updated in place when one changed) and is rewritten only when something in it changed; new
 * endpoints go first into slices being rewritten anyway, then into new slices of at most
 * `maxEndpoints` — unless a new batch fits in an untouched slice's free room, or a slice about
 * to be deleted can be reused for it instead.
 */
export function planSlices(
  existing: readonly EndpointSlice[],
  desired: ReadonlyMap<string, EndpointGroup>,
  template: SliceTemplate,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byGroup = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    const key = groupKey(slice.addressType, slice.ports ?? []);
    if (!desired.has(key)) plan.delete.push(slice);
    else byGroup.set(key, [...(byGroup.get(key) ?? []), slice]);
  }
  for (const [key, group] of desired) {
    planGroup(byGroup.get(key) ?? [], group, template, plan);
  }
  return plan;
}

function planGroup(
  slices: readonly EndpointSlice[],
  group: EndpointGroup,
  template: SliceTemplate,
  plan: SlicePlan,
): void {
  const remaining = new Map(group.endpoints);
  const touched: EndpointSlice[] = [];
  const untouched: EndpointSlice[] = [];
  for (const slice of slices) {
    const kept: Endpoint[] = [];
    let changed = !sameMetadata(slice, template);
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const wanted = remaining.get(key);
      if (!wanted) {
        changed = true;
        continue;
      }
      if (!sameJson(wanted, endpoint)) changed = true;
      kept.push(wanted);
      remaining.delete(key);
    }
    if (kept.length === 0) plan.delete.push(slice);
    else if (changed) touched.push(withEndpoints(slice, kept, template));
    else untouched.push(slice);
  }
  const rest = [...remaining.values()];
  for (const slice of touched) {
    const room = template.maxEndpoints - slice.endpoints.length;
    if (room > 0) slice.endpoints.push(...rest.splice(0, room));
  }
  plan.update.push(...touched);
  while (rest.length > 0) {
    const batch = rest.splice(0, template.maxEndpoints);
    const roomy = untouched.findIndex(
      (s) => template.maxEndpoints - s.endpoints.length >= batch.length,
    );
    if (roomy >= 0) {
      const [slice] = untouched.splice(roomy, 1);
      plan.update.push(withEndpoints(slice, [...slice.endpoints, ...batch], template));
      continue;
    }
    const reusable = plan.delete.findIndex((s) => s.addressType === group.addressType);
    if (reusable >= 0) {
      const [slice] = plan.delete.splice(reusable, 1);
      plan.update.push({ ...withEndpoints(slice, batch, template), ports: group.ports });
      continue;
    }
    plan.create.push(newSlice(group, batch, template));
  }
}

function sameMetadata(slice: EndpointSlice, template: SliceTemplate): boolean {
  return (
    sameJson(slice.metadata.labels ?? {}, template.metadata.labels ?? {}) &&
    sameJson(slice.metadata.ownerReferences ?? [], template.metadata.ownerReferences ?? [])
  );
}

/** A copy of a (cached, read-only) slice with new endpoints and the template's metadata. */
function withEndpoints(
  slice: EndpointSlice,
  endpoints: Endpoint[],
  template: SliceTemplate,
): EndpointSlice {
  return {
    ...slice,
    metadata: {
      ...slice.metadata,
      labels: { ...template.metadata.labels },
      ownerReferences: structuredClone(template.metadata.ownerReferences),
    },
    endpoints: [...endpoints],
  };
}

function newSlice(
  group: EndpointGroup,
  endpoints: Endpoint[],
  template: SliceTemplate,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: structuredClone(template.metadata),
    addressType: group.addressType,
    ports: group.ports,
    endpoints,
  };
}
