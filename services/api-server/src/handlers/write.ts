import type { KindInfo } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { contentTypeOf, decodeBody, readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { createObject as create } from '../operations/create';
import { asObjectOfKind } from '../operations/object-of-kind';
import { checkPatchType, patchObject as patch } from '../operations/patch';
import { updateObject as update } from '../operations/update';
import { type ApiContext, operationRequest, type ResourceRequest } from './context';

/** Reads and decodes the body as an object of this request's kind. */
export async function readObject(
  r: ResourceRequest,
  kind: KindInfo = r.kind,
): Promise<StoredObject> {
  return asObjectOfKind(decodeBody(await readBody(r.req), contentTypeOf(r.req)), kind);
}

export async function createObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = await readObject(r);
  const { object, warnings } = await create(ctx, operationRequest(r), obj);
  sendJson(r.res, 201, object, warnings);
}

export async function updateObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const obj = await readObject(r);
  const { object, warnings } = await update(ctx, operationRequest(r), obj);
  sendJson(r.res, 200, object, warnings);
}

export async function patchObject(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const mediaType = contentTypeOf(r.req);
  checkPatchType(mediaType);
  const body = decodeBody(await readBody(r.req), mediaType);
  const { object, warnings } = await patch(ctx, operationRequest(r), mediaType, body);
  sendJson(r.res, 200, object, warnings);
}
