import { BosunError, ErrorCode } from '@bosun/common';
import { badRequest, conflict, successStatus } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { contentTypeOf, decodeBody, isPlainObject, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { bindPod as bind } from '../operations/bind';
import { deleteOne } from '../operations/delete';
import { applyPatch } from '../operations/patch';
import { type ApiContext, isDryRun, operationRequest, type ResourceRequest } from './context';
import { readDeleteOptions } from './delete';

interface Workload {
  spec?: {
    replicas?: number;
    selector?: {
      matchLabels?: Record<string, string>;
      matchExpressions?: { key: string; operator: string; values?: string[] }[];
    };
  };
  status?: { replicas?: number };
}

function selectorString(sel: NonNullable<Workload['spec']>['selector']): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
    else parts.push(op === 'exists' ? e.key : `!${e.key}`);
  }
  return parts.join(',');
}

const SCALE_SCHEMA = { schema: 'io.k8s.api.autoscaling.v1.Scale', kind: 'Scale' } as const;

/** The autoscaling/v1 Scale view of a Deployment, ReplicaSet or StatefulSet. */
export function toScale(obj: StoredObject): StoredObject {
  const w = obj as StoredObject & Workload;
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: w.spec?.replicas ?? 1 },
    status: { replicas: w.status?.replicas ?? 0, selector: selectorString(w.spec?.selector) },
  };
}

export async function scaleSubresource(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { store } = ctx;
  const name = r.info.name;
  if (r.info.verb === 'get') {
    sendJson(r.res, 200, toScale(await store.get(r.kind.type, r.namespace, name)));
    return;
  }
  let body: unknown;
  const mediaType = contentTypeOf(r.req);
  if (r.info.verb === 'patch') body = decodeBody(await readBody(r.req), mediaType);
  else if (r.info.verb === 'update') body = decodeBody(await readBody(r.req), mediaType);
  else
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `${r.info.verb} is not supported on the scale subresource`,
    );
  const updated = await store.guaranteedUpdate(
    r.kind.type,
    r.namespace,
    name,
    (current) => {
      const scale = toScale(current);
      const wanted =
        r.info.verb === 'patch'
          ? applyPatch(mediaType, scale, body, SCALE_SCHEMA)
          : (body as StoredObject);
      if (!isPlainObject(wanted) || !isPlainObject(wanted.spec))
        throw badRequest('a Scale needs a spec');
      const replicas = (wanted.spec as { replicas?: unknown }).replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw new BosunError(
          ErrorCode.Invalid,
          `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          { context: { name, kind: 'Scale', group: 'autoscaling' } },
        );
      }
      const rv = isPlainObject(wanted.metadata) ? wanted.metadata.resourceVersion : undefined;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(r.kind, name);
      const next = current as StoredObject & Workload;
      if ((next.spec?.replicas ?? 1) !== replicas) {
        next.spec = { ...next.spec, replicas };
        next.metadata.generation = Number(next.metadata.generation ?? 1) + 1;
      }
      return next;
    },
    { actor: r.user.name, dryRun: isDryRun(r.query) },
  );
  sendJson(r.res, 200, toScale(updated));
}

/** POST pods/{name}/binding: assigns the pod to a node, once. */
export async function bindPod(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const body = decodeBody(await readBody(r.req), contentTypeOf(r.req));
  const target = isPlainObject(body) && isPlainObject(body.target) ? body.target : undefined;
  const node = target?.name;
  if (typeof node !== 'string' || node === '')
    throw badRequest('a Binding needs target.name (the node)');
  await bind(ctx, operationRequest(r), { nodeName: node });
  sendJson(r.res, 201, successStatus());
}

/** POST pods/{name}/eviction: a delete that answers with a Status (no disruption budgets yet). */
export async function evictPod(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const opts = await readDeleteOptions(r);
  await deleteOne(ctx, { ...operationRequest(r), dryRun: opts.dryRun }, opts);
  sendJson(r.res, 201, successStatus());
}
