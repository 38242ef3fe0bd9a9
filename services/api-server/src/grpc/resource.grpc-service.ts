import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { BosunError, ErrorCode } from '@bosun/common';
import {
  PatchType,
  type CreateRequest,
  type CreateResponse,
  type DeleteRequest,
  type DeleteResponse,
  type GetRequest,
  type GetResponse,
  type ListRequest,
  type ListResponse,
  type PatchRequest,
  type PatchResponse,
  type ResourceServiceController,
  type UpdateRequest,
  type UpdateResponse,
  type WatchEvent,
  type WatchRequest,
} from '@bosun/proto';
import { createObject } from '../operations/create';
import { deleteObject } from '../operations/delete';
import { getObject } from '../operations/get';
import { listObjects, toListOptions } from '../operations/list';
import { asObjectOfKind, isPlainObject } from '../operations/object-of-kind';
import type { OperationRequest } from '../operations/operation';
import { PatchMediaType, patchObject } from '../operations/patch';
import { updateObject } from '../operations/update';
import type { GrpcCaller } from './grpc-caller';
import { fromJsonBytes, toJsonBytes } from './json-bytes';
import { watchStream } from './watch-stream';

const PATCH_MEDIA_TYPE: Record<number, string> = {
  [PatchType.PATCH_TYPE_JSON]: PatchMediaType.Json,
  [PatchType.PATCH_TYPE_MERGE]: PatchMediaType.Merge,
  [PatchType.PATCH_TYPE_STRATEGIC]: PatchMediaType.Strategic,
};

/** gRPC serves the object and its status; scale, binding and eviction stay REST (and BindPod). */
function checkSubresource(req: OperationRequest): OperationRequest {
  if (req.subresource !== '' && req.subresource !== 'status')
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `the ${req.subresource} subresource is served by the REST API only`,
    );
  return req;
}

/**
 * ResourceService over the same operations as REST. Implements the generated controller
 * interface, so a proto change that renames or retypes an rpc breaks compilation here.
 */
export class ResourceGrpcService implements ResourceServiceController {
  constructor(private readonly caller: GrpcCaller) {}

  private get ctx() {
    return this.caller.ctx;
  }

  async get(request: GetRequest, metadata?: Metadata): Promise<GetResponse> {
    const req = checkSubresource(await this.caller.request(metadata, request.ref, 'get'));
    return { object: toJsonBytes(await getObject(this.ctx, req)) };
  }

  async list(request: ListRequest, metadata?: Metadata): Promise<ListResponse> {
    const req = checkSubresource(await this.caller.request(metadata, request.ref, 'list'));
    const o = request.options;
    const opts = toListOptions(req.kind, req.namespace, {
      labelSelector: o?.labelSelector,
      fieldSelector: o?.fieldSelector,
      limit: o?.limit && o.limit !== '0' ? o.limit : undefined,
      continue: o?.continueToken,
      resourceVersion: o?.resourceVersion,
      // A given revision is read exactly (a consistent snapshot to page through).
      resourceVersionMatch: o?.resourceVersion && o.resourceVersion !== '0' ? 'Exact' : undefined,
    });
    const page = await listObjects(this.ctx, req.kind, opts);
    return {
      items: page.items.map(toJsonBytes),
      resourceVersion: page.metadata.resourceVersion,
      continueToken: page.metadata.continue ?? '',
      remainingItemCount:
        page.metadata.remainingItemCount === undefined
          ? undefined
          : String(page.metadata.remainingItemCount),
    };
  }

  async create(request: CreateRequest, metadata?: Metadata): Promise<CreateResponse> {
    const req = checkSubresource(
      await this.caller.request(metadata, request.ref, 'create', {
        dryRun: request.options?.dryRun,
      }),
    );
    const obj = asObjectOfKind(fromJsonBytes(request.object, 'object'), req.kind);
    const { object } = await createObject(this.ctx, req, obj);
    return { object: toJsonBytes(object) };
  }

  async update(request: UpdateRequest, metadata?: Metadata): Promise<UpdateResponse> {
    const body = fromJsonBytes(request.object, 'object');
    const named = isPlainObject(body) && isPlainObject(body.metadata) ? body.metadata.name : '';
    // The name may come from the object alone, as a client-side convenience.
    const ref = { ...request.ref!, name: request.ref?.name || String(named ?? '') };
    const req = checkSubresource(
      await this.caller.request(metadata, ref, 'update', { dryRun: request.options?.dryRun }),
    );
    const { object } = await updateObject(this.ctx, req, asObjectOfKind(body, req.kind));
    return { object: toJsonBytes(object) };
  }

  async patch(request: PatchRequest, metadata?: Metadata): Promise<PatchResponse> {
    const req = checkSubresource(
      await this.caller.request(metadata, request.ref, 'patch', {
        dryRun: request.options?.dryRun,
      }),
    );
    const mediaType = PATCH_MEDIA_TYPE[request.type];
    if (!mediaType)
      throw new BosunError(
        ErrorCode.BadRequest,
        `PatchRequest.type ${request.type} is not one Bosun applies`,
      );
    const patch = fromJsonBytes(request.patch, 'patch');
    const { object } = await patchObject(this.ctx, req, mediaType, patch);
    return { object: toJsonBytes(object) };
  }

  async delete(request: DeleteRequest, metadata?: Metadata): Promise<DeleteResponse> {
    const req = checkSubresource(
      await this.caller.request(metadata, request.ref, 'delete', { dryRun: request.dryRun }),
    );
    const object = await deleteObject(this.ctx, req, {
      gracePeriodSeconds:
        request.gracePeriodSeconds === undefined ? undefined : Number(request.gracePeriodSeconds),
      propagationPolicy: request.propagationPolicy || undefined,
      preconditions: {
        uid: request.preconditionUid || undefined,
        resourceVersion: request.preconditionResourceVersion || undefined,
      },
    });
    return { object: toJsonBytes(object) };
  }

  watch(request: WatchRequest, metadata?: Metadata): Observable<WatchEvent> {
    return watchStream(this.caller, request, metadata);
  }
}
