import type { Metadata } from '@grpc/grpc-js';
import { Resources } from '@bosun/api-types';
import { badRequest } from '@bosun/resource-model';
import type {
  BindPodRequest,
  BindPodResponse,
  ControlPlaneServiceController,
  RenewLeaseRequest,
  RenewLeaseResponse,
  UpdateNodeStatusRequest,
  UpdateNodeStatusResponse,
  UpdatePodStatusRequest,
  UpdatePodStatusResponse,
} from '@bosun/proto';
import { bindPod } from '../operations/bind';
import { renewLease } from '../operations/renew-lease';
import { writeStatus } from '../operations/write-status';
import type { GrpcCaller } from './grpc-caller';
import { emptyTarget } from './grpc-caller';
import { fromJsonBytes, toJsonBytes } from './json-bytes';
import { isPlainObject } from '../operations/object-of-kind';

const pods = { ...emptyTarget, ...Resources.pods };
const nodes = { ...emptyTarget, ...Resources.nodes };
const leases = { ...emptyTarget, ...Resources.leases };

function statusOf(bytes: Uint8Array): Record<string, unknown> {
  const status = fromJsonBytes(bytes, 'status');
  if (!isPlainObject(status)) throw badRequest('status must be a JSON object');
  return status;
}

/**
 * The internal calls of the scheduler, controllers and node agents, each authorized as the REST
 * request it stands for (pods/binding create, pods/status update, ...) and run through the same
 * operations.
 */
export class ControlPlaneGrpcService implements ControlPlaneServiceController {
  constructor(private readonly caller: GrpcCaller) {}

  async bindPod(request: BindPodRequest, metadata?: Metadata): Promise<BindPodResponse> {
    const ref = {
      ...pods,
      namespace: request.namespace,
      name: request.name,
      subresource: 'binding',
    };
    const req = await this.caller.request(metadata, ref, 'create');
    const pod = await bindPod(this.caller.ctx, req, {
      nodeName: request.nodeName,
      uid: request.uid || undefined,
      resourceVersion: request.resourceVersion || undefined,
    });
    return { pod: toJsonBytes(pod) };
  }

  async updatePodStatus(
    request: UpdatePodStatusRequest,
    metadata?: Metadata,
  ): Promise<UpdatePodStatusResponse> {
    const ref = {
      ...pods,
      namespace: request.namespace,
      name: request.name,
      subresource: 'status',
    };
    const req = await this.caller.request(metadata, ref, 'update');
    const status = statusOf(request.status);
    const pod = await writeStatus(this.caller.ctx, req, status, request.resourceVersion);
    return { pod: toJsonBytes(pod) };
  }

  async updateNodeStatus(
    request: UpdateNodeStatusRequest,
    metadata?: Metadata,
  ): Promise<UpdateNodeStatusResponse> {
    const ref = { ...nodes, name: request.name, subresource: 'status' };
    const req = await this.caller.request(metadata, ref, 'update');
    const status = statusOf(request.status);
    const node = await writeStatus(this.caller.ctx, req, status, request.resourceVersion);
    return { node: toJsonBytes(node) };
  }

  async renewLease(request: RenewLeaseRequest, metadata?: Metadata): Promise<RenewLeaseResponse> {
    const ref = { ...leases, namespace: request.namespace, name: request.name };
    const req = await this.caller.request(metadata, ref, 'update');
    const lease = await renewLease(this.caller.ctx, req, {
      holderIdentity: request.holderIdentity,
      leaseDurationSeconds: request.leaseDurationSeconds,
    });
    return {
      held: lease.held,
      holderIdentity: lease.holderIdentity,
      renewTimeUnixMs: String(lease.renewTimeUnixMs),
      resourceVersion: lease.resourceVersion,
    };
  }
}
