import { BosunError, ErrorCode } from '@bosun/common';
import { checkVerb } from '../operations/target';
import type { ApiContext, ResourceRequest } from './context';
import { deleteCollection, deleteObject } from './delete';
import { finalizeNamespace } from './namespace-finalize';
import { execWithoutUpgrade } from './pod-exec';
import { podLog } from './pod-log';
import { getObject, listObjects } from './read';
import { bindPod, evictPod, scaleSubresource } from './subresources';
import { watchObjects } from './watch';
import { createObject, patchObject, updateObject } from './write';

type Handler = (ctx: ApiContext, r: ResourceRequest) => Promise<void>;

const MAIN: Record<string, Handler> = {
  get: getObject,
  list: listObjects,
  watch: watchObjects,
  create: createObject,
  update: updateObject,
  patch: patchObject,
  delete: deleteObject,
  deletecollection: deleteCollection,
};

const STATUS: Record<string, Handler> = {
  get: getObject,
  update: updateObject,
  patch: patchObject,
};

/** Picks the handler for a verb on a resource or one of its subresources. */
export function handleResource(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const { verb, subresource, name } = r.info;
  checkVerb(r.kind, verb, subresource, name);
  let handler: Handler | undefined;
  switch (subresource) {
    case '':
      handler = MAIN[verb];
      break;
    case 'status':
      handler = STATUS[verb];
      break;
    case 'scale':
      handler = scaleSubresource;
      break;
    case 'binding':
      handler = bindPod;
      break;
    case 'eviction':
      handler = evictPod;
      break;
    case 'finalize':
      handler = finalizeNamespace;
      break;
    case 'log':
      handler = podLog;
      break;
    case 'exec':
      handler = execWithoutUpgrade;
      break;
  }
  if (!handler) {
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `${verb} on ${r.kind.resource}/${subresource} is not supported by Bosun yet`,
    );
  }
  return handler(ctx, r);
}
