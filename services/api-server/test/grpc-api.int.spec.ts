import { join, dirname } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { GrpcApiClient, PatchType, type KubeObject } from '@bosun/api-client';
import { type BosunError, ErrorCode, isBosunError } from '@bosun/common';
import { Registry } from 'prom-client';
import { startTestApiServer, type TestApiServer } from './test-api-server';

type Rpc = (req: unknown, md: Metadata, cb: (err: unknown, res: unknown) => void) => void;

/** The error a promise rejects with (a BosunError from the client). */
async function failure(p: Promise<unknown>): Promise<BosunError> {
  try {
    await p;
  } catch (e) {
    if (isBosunError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('gRPC API of the api-server (integration: Postgres)', () => {
  let api: TestApiServer;
  let client: GrpcApiClient;
  const metrics = new Registry();
  const ns = `grpc-${process.pid}`;
  const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: ns };
  const pods = { group: '', version: 'v1', resource: 'pods', namespace: ns };

  beforeAll(async () => {
    api = await startTestApiServer({ metrics, watch: { freshWaitMs: 300 } });
    client = new GrpcApiClient({
      address: api.grpcAddress,
      caPem: api.caCertPem,
      token: api.token,
    });
    const namespaces = { group: '', version: 'v1', resource: 'namespaces' };
    await client.create(namespaces, { metadata: { name: ns } });
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  it('creates, gets, lists, updates, patches and deletes an object', async () => {
    const created = await client.create<KubeObject>(cms, {
      metadata: { name: 'crud' },
      data: { a: '1' },
    });
    expect(created).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);

    const got = await client.get(cms, 'crud');
    expect(got).toEqual(created);
    const listed = await client.list(cms);
    expect(listed.items.map((o) => o.metadata.name)).toContain('crud');
    expect(Number(listed.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(created.metadata.resourceVersion),
    );

    const updated = await client.update(cms, { ...got, data: { a: '2' } });
    expect(updated.data).toEqual({ a: '2' });
    const patched = await client.patch(cms, 'crud', { data: { b: '3' } }, PatchType.Merge);
    expect(patched.data).toEqual({ a: '2', b: '3' });
    const jsonPatched = await client.patch(
      cms,
      'crud',
      [{ op: 'remove', path: '/data/a' }],
      PatchType.Json,
    );
    expect(jsonPatched.data).toEqual({ b: '3' });

    await client.delete(cms, 'crud');
    const gone = await failure(client.get(cms, 'crud'));
    expect(gone.code).toBe(ErrorCode.NotFound);
  });

  it('lists a page at a time with a continue token', async () => {
    const scope = { ...cms, namespace: `${ns}-pages` };
    await client.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { metadata: { name: scope.namespace } },
    );
    for (const name of ['p1', 'p2', 'p3']) await client.create(scope, { metadata: { name } });
    const first = await client.list(scope, { limit: 2 });
    expect(first.items.map((o) => o.metadata.name)).toEqual(['p1', 'p2']);
    expect(first.metadata.continue).toBeTruthy();
    const second = await client.list(scope, { limit: 2, continue: first.metadata.continue });
    expect(second.items.map((o) => o.metadata.name)).toEqual(['p3']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('answers a stale resourceVersion with ABORTED (409 Conflict)', async () => {
    const first = await client.create<KubeObject>(cms, {
      metadata: { name: 'stale' },
      data: { v: '1' },
    });
    await client.update(cms, { ...first, data: { v: '2' } });
    const e = await failure(client.update(cms, { ...first, data: { v: '3' } }));
    expect(e.code).toBe(ErrorCode.Conflict);
    expect(e.context.grpcStatus).toBe(status.ABORTED);
    expect((await client.get(cms, 'stale')).data).toEqual({ v: '2' });
  });

  it('answers a second create of the same name with ALREADY_EXISTS', async () => {
    await client.create(cms, { metadata: { name: 'twice' } });
    const e = await failure(client.create(cms, { metadata: { name: 'twice' } }));
    expect(e.code).toBe(ErrorCode.AlreadyExists);
    expect(e.context.grpcStatus).toBe(status.ALREADY_EXISTS);
  });

  it('answers a missing object with NOT_FOUND and an unknown resource likewise', async () => {
    const e = await failure(client.get(cms, 'no-such-thing'));
    expect(e.code).toBe(ErrorCode.NotFound);
    expect(e.context.grpcStatus).toBe(status.NOT_FOUND);
    expect(e.context).toMatchObject({ name: 'no-such-thing', kind: 'configmaps' });
    const unknown = { group: '', version: 'v1', resource: 'widgets', namespace: ns };
    expect((await failure(client.list(unknown))).context.grpcStatus).toBe(status.NOT_FOUND);
  });

  it('answers an invalid object with INVALID_ARGUMENT (422) and its field causes', async () => {
    const e = await failure(client.create(cms, { metadata: { name: 'Not_A_Valid_Name' } }));
    expect(e.code).toBe(ErrorCode.Invalid);
    expect(e.context.grpcStatus).toBe(status.INVALID_ARGUMENT);
    expect(e.context.httpStatus).toBe(422);
    expect(e.causes.map((c) => c.field)).toContain('metadata.name');
  });

  it('answers a missing or wrong bearer token with UNAUTHENTICATED', async () => {
    for (const token of [undefined, 'not-the-token']) {
      const anonymous = new GrpcApiClient({
        address: api.grpcAddress,
        caPem: api.caCertPem,
        token,
      });
      try {
        const e = await failure(anonymous.list(cms));
        expect(e.code).toBe(ErrorCode.Unauthorized);
        expect(e.context.grpcStatus).toBe(status.UNAUTHENTICATED);
      } finally {
        anonymous.close();
      }
    }
  });

  it('watches from a resourceVersion: exactly the later events, in revision order', async () => {
    const scope = { ...cms, namespace: `${ns}-watch` };
    await client.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { metadata: { name: scope.namespace } },
    );
    const before = await client.create<KubeObject>(scope, { metadata: { name: 'before' } });
    const b = await client.create<KubeObject>(scope, { metadata: { name: 'b' } });
    const b2 = await client.patch(scope, 'b', { data: { x: '1' } });
    await client.delete(scope, 'before');
    // The last change: reaching it proves nothing else came between (or repeated).
    await client.create(scope, { metadata: { name: 'sentinel' } });

    const seen: { type: string; name?: string; revision: string; rv?: string }[] = [];
    for await (const e of client.watch(scope, {
      resourceVersion: before.metadata.resourceVersion,
    })) {
      seen.push({
        type: e.type,
        name: e.object.metadata.name,
        revision: e.revision,
        rv: e.object.metadata.resourceVersion,
      });
      if (e.object.metadata.name === 'sentinel') break;
    }
    expect(seen.map((e) => [e.type, e.name])).toEqual([
      ['ADDED', 'b'],
      ['MODIFIED', 'b'],
      ['DELETED', 'before'],
      ['ADDED', 'sentinel'],
    ]);
    // Each event carries the revision of its change: the object's resourceVersion after it.
    expect(seen.slice(0, 2).map((e) => e.revision)).toEqual([
      b.metadata.resourceVersion,
      b2.metadata.resourceVersion,
    ]);
    expect(seen.map((e) => e.rv)).toEqual(seen.map((e) => e.revision));
    const revs = seen.map((e) => BigInt(e.revision));
    expect([...revs].sort((x, y) => (x < y ? -1 : 1))).toEqual(revs);
  });

  it('streams live changes to a watch started from the current state', async () => {
    const scope = { ...cms, namespace: `${ns}-live` };
    await client.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { metadata: { name: scope.namespace } },
    );
    await client.create(scope, { metadata: { name: 'old' } });
    const events: string[] = [];
    const watching = (async () => {
      for await (const e of client.watch<KubeObject>(scope, {})) {
        events.push(`${e.type} ${e.object.metadata.name}`);
        if (e.object.metadata.name === 'old')
          await client.create(scope, { metadata: { name: 'new' } });
        if (events.length === 2) return;
      }
    })();
    await watching;
    expect(events).toEqual(['ADDED old', 'ADDED new']);
  });

  it('BindPod sets spec.nodeName once; a second bind is ABORTED', async () => {
    await client.create(pods, {
      metadata: { name: 'to-bind' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const bound = await client.bindPod<KubeObject & { spec: { nodeName?: string } }>(
      ns,
      'to-bind',
      'node-a',
    );
    expect(bound.spec.nodeName).toBe('node-a');
    expect(
      (await client.get<KubeObject & { spec: { nodeName?: string } }>(pods, 'to-bind')).spec
        .nodeName,
    ).toBe('node-a');
    const again = await failure(client.bindPod(ns, 'to-bind', 'node-b'));
    expect(again.code).toBe(ErrorCode.Conflict);
    expect(again.context.grpcStatus).toBe(status.ABORTED);
    expect(
      (await client.get<KubeObject & { spec: { nodeName?: string } }>(pods, 'to-bind')).spec
        .nodeName,
    ).toBe('node-a');
  });

  it('UpdatePodStatus writes only the status; RenewLease grants a lease to one holder', async () => {
    await client.create(pods, {
      metadata: { name: 'with-status' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const pod = await client.updatePodStatus<KubeObject & { status: { phase?: string } }>(
      ns,
      'with-status',
      { phase: 'Running' },
    );
    expect(pod.status.phase).toBe('Running');

    const a = await client.renewLease(ns, 'leader', 'a', 30);
    expect(a).toMatchObject({ held: true, holderIdentity: 'a' });
    const b = await client.renewLease(ns, 'leader', 'b', 30);
    expect(b).toMatchObject({ held: false, holderIdentity: 'a' });
    const renewed = await client.renewLease(ns, 'leader', 'a', 30);
    expect(renewed.held).toBe(true);
    expect(BigInt(renewed.resourceVersion)).toBeGreaterThan(BigInt(a.resourceVersion));
  });

  it('ends a watch when its signal aborts', async () => {
    const abort = new AbortController();
    const names: string[] = [];
    for await (const e of client.watch(cms, {}, abort.signal)) {
      names.push(e.object.metadata.name ?? '');
      abort.abort();
    }
    expect(names).toHaveLength(1);
  });

  // Compaction is schema-wide: this test runs after every other watch in this file.
  it('answers a compacted resourceVersion with Gone (an ERROR event with a 410 Status)', async () => {
    await client.create(cms, { metadata: { name: 'before-compaction' } });
    await client.create(cms, { metadata: { name: 'after-compaction' } });
    await api.store.compact({ keepRevisions: 1 });
    const e = await failure(
      (async () => {
        for await (const _ of client.watch(cms, { resourceVersion: '1' })) {
          // Nothing may arrive before the error.
          throw new Error('an event arrived from a compacted revision');
        }
      })(),
    );
    expect(e.code).toBe(ErrorCode.Gone);
    expect(e.context.httpStatus).toBe(410);
  });

  it('fails a watch or an exact list from a resourceVersion past the head: DEADLINE_EXCEEDED, Too large resource version', async () => {
    const head = await api.store.currentRevision();
    const ahead = String(head + 1000);
    const watching = failure(
      (async () => {
        for await (const _ of client.watch(cms, { resourceVersion: ahead })) {
          throw new Error('an event arrived from a revision past the head');
        }
      })(),
    );
    const listing = failure(client.list(cms, { resourceVersion: ahead }));
    for (const e of [await watching, await listing]) {
      expect(e.code).toBe(ErrorCode.Timeout);
      expect(e.message).toBe(`Timeout: Too large resource version: ${ahead}, current: ${head}`);
      expect(e.context).toMatchObject({ httpStatus: 504, grpcStatus: status.DEADLINE_EXCEEDED });
      expect(e.context.retryAfterSeconds).toBe(1);
      expect(e.causes.map((c) => c.reason)).toEqual(['ResourceVersionTooLarge']);
    }
  });

  it('counts calls by method and status code', async () => {
    await failure(client.get(cms, 'counted-missing'));
    const text = await metrics.getSingleMetricAsString('grpc_server_handled_total');
    expect(text).toMatch(
      /grpc_server_handled_total\{grpc_service="bosun.v1.ResourceService",grpc_method="Get",grpc_type="unary",grpc_code="5"\} [1-9]/,
    );
  });

  describe('standard services', () => {
    const tls = () => credentials.createSsl(Buffer.from(api.caCertPem));

    it('server reflection lists Bosun services and health', async () => {
      const reflectionDir = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
      const def = loadSync('grpc/reflection/v1/reflection.proto', {
        includeDirs: [reflectionDir],
        keepCase: true,
      });
      const Reflection = (
        loadPackageDefinition(def) as unknown as {
          grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => Client } } };
        }
      ).grpc.reflection.v1.ServerReflection;
      const c = new Reflection(api.grpcAddress, tls()) as Client & {
        ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(v: unknown): boolean };
      };
      try {
        const names = await new Promise<string[]>((resolve, reject) => {
          const call = c.ServerReflectionInfo();
          call.on('data', (res: { list_services_response?: { service: { name: string }[] } }) => {
            resolve((res.list_services_response?.service ?? []).map((s) => s.name));
            call.end();
          });
          call.on('error', reject);
          call.write({ list_services: '' });
        });
        expect(names).toEqual(
          expect.arrayContaining(['bosun.v1.ResourceService', 'bosun.v1.ControlPlaneService']),
        );
      } finally {
        c.close();
      }
    });

    it('health answers SERVING for the server and for ResourceService', async () => {
      const def = loadSync(healthProtoPath, { keepCase: true, enums: String });
      const Health = (
        loadPackageDefinition(def) as unknown as {
          grpc: { health: { v1: { Health: new (a: string, c: unknown) => Client } } };
        }
      ).grpc.health.v1.Health;
      const c = new Health(api.grpcAddress, tls()) as Client & { Check: Rpc };
      try {
        for (const service of ['', 'bosun.v1.ResourceService']) {
          const res = await new Promise<unknown>((resolve, reject) =>
            c.Check({ service }, new Metadata(), (err, r) => (err ? reject(err) : resolve(r))),
          );
          expect(res).toEqual({ status: 'SERVING' });
        }
      } finally {
        c.close();
      }
    });
  });
});

describe('gRPC API authorization and shutdown (integration: Postgres)', () => {
  let api: TestApiServer | undefined;
  let client: GrpcApiClient | undefined;
  const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

  beforeAll(async () => {
    // Allows everything but deleting: the gRPC API must ask the same authorizer as REST.
    const authorizer = {
      authorize: (_user: unknown, attrs: { verb: string }) =>
        attrs.verb === 'delete'
          ? { allowed: false, reason: 'deleting is not allowed here' }
          : { allowed: true, reason: 'test' },
    };
    api = await startTestApiServer({ authorizer });
    client = new GrpcApiClient({
      address: api.grpcAddress,
      caPem: api.caCertPem,
      token: api.token,
    });
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  it('answers what the authorizer denies with PERMISSION_DENIED', async () => {
    await client!.create(cms, { metadata: { name: 'kept' } });
    const e = await failure(client!.delete(cms, 'kept'));
    expect(e.code).toBe(ErrorCode.Forbidden);
    expect(e.context.grpcStatus).toBe(status.PERMISSION_DENIED);
    expect(e.message).toBe('deleting is not allowed here');
    expect((await client!.get(cms, 'kept')).metadata.name).toBe('kept');
  });

  it('does not persist a dry-run create', async () => {
    const echoed = await client!.create(cms, { metadata: { name: 'dry' } }, { dryRun: true });
    expect(echoed.metadata.name).toBe('dry');
    expect((await failure(client!.get(cms, 'dry'))).code).toBe(ErrorCode.NotFound);
  });

  it('ends open watches cleanly when the api-server stops', async () => {
    const events: string[] = [];
    let opened: () => void = () => undefined;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const watching = (async () => {
      for await (const e of client!.watch(cms, {})) {
        events.push(e.type);
        opened();
      }
    })();
    await open; // the initial ADDED of 'kept' arrived: the stream is live
    await api!.stop();
    api = undefined;
    await watching;
    expect(events[0]).toBe('ADDED');
  });
});
