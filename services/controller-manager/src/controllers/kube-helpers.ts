import type { KubeObject, OwnerReference } from '@bosun/controller-kit';

/** RFC 3339 at second precision, the way Kubernetes writes metav1.Time. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The `namespace/name` key of the object's controlling owner when it is of `kind`. */
export function controllerOwnerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  if (!ref || ref.kind !== kind || !ref.name) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The owner reference a controller puts on what it creates. */
export function ownerReferenceTo(owner: KubeObject, apiVersion: string, kind: string) {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
  lastHeartbeatTime?: string;
}

export interface PodLike extends KubeObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: {
    phase?: string;
    conditions?: readonly Condition[];
    containerStatuses?: readonly { restartCount?: number; [k: string]: unknown }[];
    [k: string]: unknown;
  };
}

export function isTerminal(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isTerminating(obj: KubeObject): boolean {
  return typeof obj.metadata['deletionTimestamp'] === 'string';
}

/** Neither finished nor on its way out: what counts toward a controller's replicas. */
export function isActive(pod: PodLike): boolean {
  return !isTerminal(pod) && !isTerminating(pod);
}

export function isPodReady(pod: PodLike): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function creationMs(obj: KubeObject): number {
  return parseTime(obj.metadata['creationTimestamp']) ?? 0;
}

/** Oldest first, then by name, so choices among equals are reproducible. */
export function byAge(a: KubeObject, b: KubeObject): number {
  return (
    creationMs(a) - creationMs(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

/** Whether two JSON values are equal whatever their key order (the store may reorder keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
