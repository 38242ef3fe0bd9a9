import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientGrpcProxy, RpcException } from '@nestjs/microservices';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { firstValueFrom, from, toArray, type Observable } from 'rxjs';
import { freePort } from '@bosun/testing';
import {
  EventType,
  RESOURCE_SERVICE_NAME,
  ResourceServiceControllerMethods,
  bosunGrpcOptions,
  type DeleteResponse,
  type GetRequest,
  type GetResponse,
  type ListResponse,
  type ResourceServiceClient,
  type ResourceServiceController,
  type WatchEvent,
  type WatchRequest,
} from './index';

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const unimplemented = (): never => {
  throw new RpcException({ code: GrpcStatus.UNIMPLEMENTED, message: 'not in this test' });
};

/** A stand-in ResourceService: echoes refs so the test sees what crossed the wire. */
@Controller()
@ResourceServiceControllerMethods()
class EchoResourceService implements ResourceServiceController {
  get(request: GetRequest): GetResponse {
    if (request.ref?.name === 'missing') {
      throw new RpcException({ code: GrpcStatus.NOT_FOUND, message: 'pods "missing" not found' });
    }
    return {
      object: json({
        kind: 'Pod',
        metadata: { name: request.ref?.name, namespace: request.ref?.namespace },
      }),
    };
  }
  list(): ListResponse {
    return {
      items: [json({ n: 1 }), json({ n: 2 })],
      resourceVersion: '9007199254740993',
      continueToken: '',
    };
  }
  create(): never {
    return unimplemented();
  }
  update(): never {
    return unimplemented();
  }
  patch(): never {
    return unimplemented();
  }
  delete(): DeleteResponse {
    return unimplemented();
  }
  watch(request: WatchRequest): Observable<WatchEvent> {
    const start = BigInt(request.options?.resourceVersion || '0');
    return from(
      [EventType.EVENT_TYPE_ADDED, EventType.EVENT_TYPE_MODIFIED, EventType.EVENT_TYPE_DELETED].map(
        (type, i) => ({
          type,
          object: json({ i }),
          revision: String(start + BigInt(i + 1)),
        }),
      ),
    );
  }
}

// The point of nestJs=true: a handler that misses an rpc (or gets a type wrong) does not compile.
// @ts-expect-error -- `watch` and the other methods are missing
class _Incomplete implements ResourceServiceController {
  get(): GetResponse {
    return { object: new Uint8Array() };
  }
}

@Module({ controllers: [EchoResourceService] })
class EchoModule {}

describe('generated ResourceService over NestJS gRPC (loopback integration)', () => {
  let server: INestMicroservice;
  let client: ClientGrpcProxy;
  let resources: ResourceServiceClient;

  beforeAll(async () => {
    const url = `127.0.0.1:${await freePort()}`;
    server = await NestFactory.createMicroservice(EchoModule, {
      ...bosunGrpcOptions(url),
      logger: false,
    });
    await server.listen();
    client = new ClientGrpcProxy(bosunGrpcOptions(url).options);
    resources = client.getService<ResourceServiceClient>(RESOURCE_SERVICE_NAME);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('carries a unary call and its JSON object bytes both ways', async () => {
    const ref = {
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'default',
      name: 'web',
      subresource: '',
    };
    const res = await firstValueFrom(resources.get({ ref, resourceVersion: '' }));
    expect(JSON.parse(Buffer.from(res.object).toString())).toEqual({
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
    });
  });

  it('keeps int64 resource versions exact as strings', async () => {
    const res = await firstValueFrom(resources.list({ ref: undefined, options: undefined }));
    expect(res.resourceVersion).toBe('9007199254740993');
    expect(res.items.map((b) => JSON.parse(Buffer.from(b).toString()))).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
  });

  it('streams watch events in order with their revisions', async () => {
    const opts = {
      labelSelector: '',
      fieldSelector: '',
      limit: '0',
      continueToken: '',
      resourceVersion: '41',
    };
    const events = await firstValueFrom(
      resources
        .watch({ ref: undefined, options: opts, allowBookmarks: false, sendInitialEvents: false })
        .pipe(toArray()),
    );
    expect(events.map((e) => [e.type, e.revision])).toEqual([
      [EventType.EVENT_TYPE_ADDED, '42'],
      [EventType.EVENT_TYPE_MODIFIED, '43'],
      [EventType.EVENT_TYPE_DELETED, '44'],
    ]);
  });

  it('maps a handler error to its gRPC status code', async () => {
    const ref = {
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'default',
      name: 'missing',
      subresource: '',
    };
    await expect(firstValueFrom(resources.get({ ref, resourceVersion: '' }))).rejects.toMatchObject(
      {
        code: GrpcStatus.NOT_FOUND,
      },
    );
  });
});
