import { BosunError, ErrorCode } from '@bosun/common';
import {
  applyPatchOfType,
  badRequest,
  conflict,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
  type KindInfo,
} from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { Operation } from '../admission/admission';
import { contentTypeOf, decodeBody, isPlainObject, MediaType, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { type ApiContext, isDryRun, type ResourceRequest, withTypeMeta } from './context';
import { finishDeletionIfDue } from './delete';

/** Reads and decodes the body as an object of this request's kind. */
export async function readObject(
  r: ResourceRequest,
  kind: KindInfo = r.kind,
): Promise<StoredObject> {
  const body = decodeBody(await readBody(r.req), contentTypeOf(r.req));
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON or YAML object');
  if (body.apiVersion !== undefined && body.apiVersion !== kind.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== kind.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${kind.kind})`,
    );
  }
  const metadata = body.metadata ?? {};
  if (!isPlainObject(metadata)) throw badRequest('metadata must be an object');
  return { ...body, apiVersion: kind.apiVersion, kind: kind.kind, metadata } as StoredObject;
}

function checkNamespace(r: ResourceRequest, obj: StoredObject): void {
  const ns = obj.metadata.namespace;
  if (!r.kind.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (ns !== undefined && ns !== '' && ns !== r.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  obj.metadata.namespace = r.namespace;
}

/** Fields a client may not set: the server owns them. */
function resetServerFields(obj: StoredObject): void {
  const m = obj.metadata;
  for (const f of [
    'resourceVersion',
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
    'selfLink',
  ]) {
    delete m[f];
  }
}

export async function createObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = await readObject(r);
  checkNamespace(r, obj);
  resetServerFields(obj);
  prepareForCreate(r.kind, obj);
  if (r.kind.namespaced) await ctx.namespaces.require(r.namespace);
  const warnings = await ctx.admission.admit({
    operation: Operation.Create,
    kind: r.kind,
    subresource: '',
    user: r.user,
    object: obj,
    fieldValidation: r.query.get('fieldValidation') ?? undefined,
  });
  const created = await ctx.store.create(r.kind.type, obj, {
    actor: r.user.name,
    dryRun: isDryRun(r.query),
  });
  sendJson(r.res, 201, withTypeMeta(r.kind, created), warnings);
}

/**
 * The object an update or patch stores, by resource-model's write strategies: through the main
 * resource status stays as stored and generation follows the spec; through `status` only status
 * changes. Identity (name, namespace, resourceVersion) is the stored object's.
 */
export function mergeForWrite(
  kind: KindInfo,
  current: StoredObject,
  incoming: StoredObject,
  sub: string,
): StoredObject {
  const next: StoredObject = {
    ...structuredClone(incoming),
    apiVersion: kind.apiVersion,
    kind: kind.kind,
  };
  if (sub === 'status') prepareForStatusUpdate(kind, next, current);
  else prepareForUpdate(kind, next, current);
  const cm = current.metadata;
  next.metadata = { ...next.metadata, name: cm.name, resourceVersion: cm.resourceVersion };
  if (cm.namespace === undefined) delete next.metadata.namespace;
  else next.metadata.namespace = cm.namespace;
  return next;
}

/** Runs admission and stores `mutate(current)` with optimistic concurrency, then answers. */
async function writeUpdate(
  ctx: ApiContext,
  r: ResourceRequest,
  mutate: (current: StoredObject) => StoredObject,
): Promise<void> {
  const name = r.info.name;
  const sub = r.info.subresource;
  let warnings: string[] = [];
  const updated = await ctx.store.guaranteedUpdate(
    r.kind.type,
    r.namespace,
    name,
    async (current) => {
      const incoming = mutate(current);
      const wanted = incoming.metadata.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(r.kind, name);
      const next = mergeForWrite(r.kind, current, incoming, sub);
      warnings = await ctx.admission.admit({
        operation: Operation.Update,
        kind: r.kind,
        subresource: sub,
        user: r.user,
        object: next,
        oldObject: current,
        fieldValidation: r.query.get('fieldValidation') ?? undefined,
      });
      return next;
    },
    { actor: r.user.name, dryRun: isDryRun(r.query) },
  );
  const result = isDryRun(r.query) ? updated : await finishDeletionIfDue(ctx, r, updated);
  sendJson(r.res, 200, withTypeMeta(r.kind, result), warnings);
}

export async function updateObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = await readObject(r);
  if (obj.metadata.name !== undefined && obj.metadata.name !== r.info.name) {
    throw badRequest(
      `the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${r.info.name})`,
    );
  }
  checkNamespace(r, obj);
  await writeUpdate(ctx, r, () => structuredClone(obj));
}

/** Applies a JSON, merge or strategic merge patch body (resource-model) to `current`. */
export function applyPatch(
  mediaType: string,
  current: StoredObject,
  patch: unknown,
  target?: { readonly schema: string; readonly kind: string },
): StoredObject {
  if (mediaType === MediaType.ApplyPatch) {
    throw new BosunError(
      ErrorCode.UnsupportedMediaType,
      'server-side apply (application/apply-patch+yaml) is not supported by Bosun yet; use client-side kubectl apply',
    );
  }
  const out: unknown = applyPatchOfType(mediaType, current, patch, target?.schema, target?.kind);
  if (!isPlainObject(out) || !isPlainObject(out.metadata)) {
    throw badRequest('the patched object must be an object with metadata');
  }
  return out as StoredObject;
}

export async function patchObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const mediaType = contentTypeOf(r.req);
  if (mediaType === MediaType.ApplyPatch || !mediaType.endsWith('patch+json'))
    applyPatch(mediaType, { metadata: {} }, {});
  const patch = decodeBody(await readBody(r.req), mediaType);
  await writeUpdate(ctx, r, (current) => {
    const next = applyPatch(mediaType, current, patch, r.kind);
    if (next.metadata.name !== current.metadata.name)
      throw badRequest('metadata.name cannot be changed by a patch');
    return next;
  });
}
