import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import { ClientGrpcProxy } from '@nestjs/microservices';
import { firstValueFrom, type Observable } from 'rxjs';
import {
  bosunGrpcOptions,
  CONTROL_PLANE_SERVICE_NAME,
  EventType,
  PatchType as ProtoPatchType,
  RESOURCE_SERVICE_NAME,
  type ControlPlaneServiceClient,
  type ResourceRef as ProtoRef,
  type ResourceServiceClient,
} from '@bosun/proto';
import { grpcToBosunError } from './grpc-error';
import { observableToAsyncIterable } from './observable-iterator';
import {
  type DeleteOptions,
  type KubeList,
  type KubeObject,
  type ListQuery,
  PatchType,
  type ResourceRef,
  type WatchEvent,
} from './resource-ref';
import { statusToError, type StatusBody } from './status-error';

/** Where and how to reach the api-server's gRPC API. */
export interface GrpcConnection {
  /** host:port of the gRPC listener. */
  readonly address: string;
  /** PEM of the CA that signed the serving certificate (the REST API's). */
  readonly caPem: string;
  readonly token?: string;
}

const toBytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const fromBytes = <T>(b: Uint8Array): T => JSON.parse(Buffer.from(b).toString('utf8')) as T;

const PATCH_TYPE: Record<PatchType, ProtoPatchType> = {
  [PatchType.Json]: ProtoPatchType.PATCH_TYPE_JSON,
  [PatchType.Merge]: ProtoPatchType.PATCH_TYPE_MERGE,
  [PatchType.Strategic]: ProtoPatchType.PATCH_TYPE_STRATEGIC,
};

const EVENT_NAME: Record<number, WatchEvent['type']> = {
  [EventType.EVENT_TYPE_ADDED]: 'ADDED',
  [EventType.EVENT_TYPE_MODIFIED]: 'MODIFIED',
  [EventType.EVENT_TYPE_DELETED]: 'DELETED',
  [EventType.EVENT_TYPE_BOOKMARK]: 'BOOKMARK',
  [EventType.EVENT_TYPE_ERROR]: 'ERROR',
};

function protoRef(ref: ResourceRef, name = '', subresource = ''): ProtoRef {
  return { ...ref, namespace: ref.namespace ?? '', name, subresource };
}

/**
 * The gRPC twin of ApiClient, on the ts-proto generated clients: the same calls and the same
 * BosunErrors (rebuilt from the api-server's Status trailer), plus the internal
 * ControlPlaneService calls. Objects travel as JSON, TLS is verified against the given CA.
 */
export class GrpcApiClient {
  private readonly proxy: ClientGrpcProxy;
  private readonly resources: ResourceServiceClient;
  private readonly controlPlane: ControlPlaneServiceClient;

  constructor(private readonly conn: GrpcConnection) {
    const opts = bosunGrpcOptions(conn.address).options;
    this.proxy = new ClientGrpcProxy({
      ...opts,
      credentials: grpcCredentials.createSsl(Buffer.from(conn.caPem)),
    });
    this.resources = this.proxy.getService<ResourceServiceClient>(RESOURCE_SERVICE_NAME);
    this.controlPlane = this.proxy.getService<ControlPlaneServiceClient>(
      CONTROL_PLANE_SERVICE_NAME,
    );
  }

  async get<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    subresource?: string,
  ): Promise<T> {
    const res = await this.call(
      this.resources.get(
        { ref: protoRef(ref, name, subresource), resourceVersion: '' },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.object);
  }

  async list<T extends KubeObject>(ref: ResourceRef, q: ListQuery = {}): Promise<KubeList<T>> {
    const res = await this.call(
      this.resources.list({ ref: protoRef(ref), options: listOptions(q) }, this.metadata()),
    );
    return {
      items: res.items.map((b) => fromBytes<T>(b)),
      metadata: {
        resourceVersion: res.resourceVersion,
        ...(res.continueToken ? { continue: res.continueToken } : {}),
      },
    };
  }

  async create<T extends KubeObject>(
    ref: ResourceRef,
    obj: T,
    opts: { dryRun?: boolean } = {},
  ): Promise<T> {
    const res = await this.call(
      this.resources.create(
        { ref: protoRef(ref), object: toBytes(obj), options: writeOptions(opts.dryRun) },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.object);
  }

  /** A `metadata.resourceVersion` in `obj` is a precondition (Conflict when stale). */
  async update<T extends KubeObject>(ref: ResourceRef, obj: T, subresource?: string): Promise<T> {
    const res = await this.call(
      this.resources.update(
        {
          ref: protoRef(ref, obj.metadata.name ?? '', subresource),
          object: toBytes(obj),
          options: writeOptions(false),
        },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.object);
  }

  async patch<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType = PatchType.Merge,
    subresource?: string,
  ): Promise<T> {
    const res = await this.call(
      this.resources.patch(
        {
          ref: protoRef(ref, name, subresource),
          type: PATCH_TYPE[type],
          patch: toBytes(patch),
          options: writeOptions(false),
        },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.object);
  }

  async delete<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<T> {
    const res = await this.call(
      this.resources.delete(
        {
          ref: protoRef(ref, name),
          gracePeriodSeconds:
            opts.gracePeriodSeconds === undefined ? undefined : String(opts.gracePeriodSeconds),
          propagationPolicy: opts.propagationPolicy ?? '',
          preconditionUid: opts.preconditions?.uid ?? '',
          preconditionResourceVersion: opts.preconditions?.resourceVersion ?? '',
          dryRun: opts.dryRun ?? false,
        },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.object);
  }

  /**
   * Every change after `q.resourceVersion` in revision order (without one: the current objects
   * as ADDED first). Ends when the server ends the stream or `signal` aborts; a compacted
   * revision throws Gone: re-list and watch again from the list's resourceVersion.
   */
  async *watch<T extends KubeObject>(
    ref: ResourceRef,
    q: ListQuery & { allowWatchBookmarks?: boolean; sendInitialEvents?: boolean } = {},
    signal?: AbortSignal,
  ): AsyncGenerator<WatchEvent<T> & { readonly revision: string }> {
    const events = this.resources.watch(
      {
        ref: protoRef(ref),
        options: listOptions(q),
        allowBookmarks: q.allowWatchBookmarks ?? false,
        sendInitialEvents: q.sendInitialEvents ?? false,
      },
      this.metadata(),
    );
    try {
      for await (const e of observableToAsyncIterable(events, signal)) {
        const type = EVENT_NAME[e.type];
        const object = fromBytes<T>(e.object);
        if (type === 'ERROR') {
          const status = object as unknown as StatusBody;
          throw statusToError(status.code ?? 500, status);
        }
        if (type !== undefined) yield { type, object, revision: e.revision };
      }
    } catch (e) {
      throw grpcToBosunError(e);
    }
  }

  /** Assigns a pod to a node (the scheduler's write); a bound or changed pod is a Conflict. */
  async bindPod<T extends KubeObject>(
    namespace: string,
    name: string,
    nodeName: string,
    pre: { uid?: string; resourceVersion?: string } = {},
  ): Promise<T> {
    const res = await this.call(
      this.controlPlane.bindPod(
        {
          namespace,
          name,
          nodeName,
          uid: pre.uid ?? '',
          resourceVersion: pre.resourceVersion ?? '',
        },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.pod);
  }

  async updatePodStatus<T extends KubeObject>(
    namespace: string,
    name: string,
    status: unknown,
    resourceVersion = '',
  ): Promise<T> {
    const res = await this.call(
      this.controlPlane.updatePodStatus(
        { namespace, name, status: toBytes(status), resourceVersion },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.pod);
  }

  async updateNodeStatus<T extends KubeObject>(
    name: string,
    status: unknown,
    resourceVersion = '',
  ): Promise<T> {
    const res = await this.call(
      this.controlPlane.updateNodeStatus(
        { name, status: toBytes(status), resourceVersion },
        this.metadata(),
      ),
    );
    return fromBytes<T>(res.node);
  }

  /** Acquires or renews a Lease; `held` says whether `holderIdentity` holds it now. */
  async renewLease(
    namespace: string,
    name: string,
    holderIdentity: string,
    leaseDurationSeconds: number,
  ): Promise<{
    held: boolean;
    holderIdentity: string;
    renewTimeUnixMs: number;
    resourceVersion: string;
  }> {
    const res = await this.call(
      this.controlPlane.renewLease(
        { namespace, name, holderIdentity, leaseDurationSeconds },
        this.metadata(),
      ),
    );
    return { ...res, renewTimeUnixMs: Number(res.renewTimeUnixMs) };
  }

  close(): void {
    this.proxy.close();
  }

  private metadata(): Metadata {
    const md = new Metadata();
    if (this.conn.token) md.set('authorization', `Bearer ${this.conn.token}`);
    return md;
  }

  private async call<T>(answer: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(answer);
    } catch (e) {
      throw grpcToBosunError(e);
    }
  }
}

function listOptions(q: ListQuery) {
  return {
    labelSelector: q.labelSelector ?? '',
    fieldSelector: q.fieldSelector ?? '',
    limit: String(q.limit ?? 0),
    continueToken: q.continue ?? '',
    resourceVersion: q.resourceVersion ?? '',
  };
}

const writeOptions = (dryRun = false) => ({ dryRun, fieldManager: '' });
