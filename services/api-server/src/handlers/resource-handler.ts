import { BosunError, ErrorCode } from '@bosun/common';
import { methodNotSupported } from '@bosun/resource-model';
import type { ApiContext, ResourceRequest } from './context';
import { deleteCollection, deleteObject } from './delete';
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
  const sub =
    subresource === '' ? undefined : r.kind.subresources.find((s) => s.name === subresource);
  if (subresource !== '' && !sub) {
    throw new BosunError(ErrorCode.NotFound, 'the server could not find the requested resource', {
      context: { group: r.kind.group, kind: r.kind.resource, name },
    });
  }
  if (!sub && verb === 'create' && name !== '') {
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `the server does not allow this method on the requested resource`,
    );
  }
  if (sub && !sub.verbs.includes(verb)) throw methodNotSupported(r.kind, verb);
  if (!sub && !r.kind.verbs.includes(verb)) throw methodNotSupported(r.kind, verb);
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
  }
  if (!handler) {
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `${verb} on ${r.kind.resource}/${subresource} is not supported by Bosun yet`,
    );
  }
  return handler(ctx, r);
}
