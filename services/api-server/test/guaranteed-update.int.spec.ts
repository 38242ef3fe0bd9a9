import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  ApiClient,
  GrpcApiClient,
  PatchType,
  type KubeObject,
  type ResourceRef,
} from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { startTestApiServer, type TestApiServer } from './test-api-server';

/*
 * Kubernetes' GuaranteedUpdate: a write the caller did not condition (no resourceVersion, no
 * preconditions) never fails because somebody else wrote the object meanwhile; a conditioned one
 * answers 409 exactly when its condition is stale. Another OS process hammers the same pod's and
 * Deployment's status all along, as a node agent and a controller would.
 */

type Client = ApiClient | GrpcApiClient;
type Op =
  | 'mergePatch'
  | 'jsonPatch'
  | 'strategicPatch'
  | 'updateCurrent'
  | 'updateStale'
  | 'mergePatchStale'
  | 'delete'
  | 'deleteCurrentUid'
  | 'deleteStaleUid'
  | 'deleteStaleResourceVersion'
  | 'scaleUpdate'
  | 'scalePatch'
  | 'scaleUpdateStale';

const OPS: readonly Op[] = [
  'mergePatch',
  'jsonPatch',
  'strategicPatch',
  'updateCurrent',
  'updateStale',
  'mergePatchStale',
  'delete',
  'deleteCurrentUid',
  'deleteStaleUid',
  'deleteStaleResourceVersion',
  'scaleUpdate',
  'scalePatch',
  'scaleUpdateStale',
];
const FINALIZER = 'bosun.dev/guaranteed-update-test';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (isBosunError(e)) return e.code;
    throw e;
  }
}

/** The status writer in its own process, paused and resumed over IPC. */
class StatusWriter {
  private readonly child: ChildProcess;
  constructor(api: TestApiServer, namespace: string, targets: readonly string[]) {
    const caFile = join(api.home, 'guaranteed-update-ca.pem');
    writeFileSync(caFile, api.caCertPem);
    this.child = fork(
      join(__dirname, 'fixtures', 'status-writer.ts'),
      [api.url, caFile, api.token, namespace, ...targets],
      { execArgv: ['-r', '@swc-node/register'], cwd: join(__dirname, '..'), stdio: 'inherit' },
    );
  }
  private next(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.child.once('message', resolve);
      this.child.once('exit', (code) => reject(new Error(`status writer exited (${code})`)));
    });
  }
  async pause(): Promise<void> {
    const paused = this.next();
    this.child.send('pause');
    expect(await paused).toBe('paused');
  }
  resume(): void {
    this.child.send('resume');
  }
  async stop(): Promise<{ writes: number; notFound: number; conflicts: number; errors: string[] }> {
    const done = this.next();
    this.child.send('stop');
    return ((await done) as { counts: never }).counts;
  }
  kill(): void {
    this.child.kill('SIGKILL');
  }
}

describe('writes without preconditions retry inside the server (GuaranteedUpdate) (integration: Postgres)', () => {
  let api: TestApiServer;
  let rest: ApiClient;
  let grpc: GrpcApiClient;
  let writer: StatusWriter | undefined;
  const ns = `gu-${process.pid}`;
  const pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespace: ns };
  const deployments: ResourceRef = {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    namespace: ns,
  };
  const pod = () => ({
    metadata: { name: 'hammered', finalizers: [FINALIZER] },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });

  beforeAll(async () => {
    api = await startTestApiServer();
    rest = new ApiClient({
      server: api.url,
      caPem: api.caCertPem,
      token: api.token,
      namespace: ns,
    });
    grpc = new GrpcApiClient({ address: api.grpcAddress, caPem: api.caCertPem, token: api.token });
    await rest.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { metadata: { name: ns } },
    );
    await rest.create(pods, pod());
    await rest.create(deployments, {
      metadata: { name: 'scaled' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'scaled' } },
        template: {
          metadata: { labels: { app: 'scaled' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    writer?.kill();
    rest?.close();
    grpc?.close();
    await api?.stop();
  });

  it('none of the unconditioned writes answers 409; conditioned ones answer 409 exactly when stale, on REST and gRPC', async () => {
    writer = new StatusWriter(api, ns, ['pods/hammered', 'deployments/scaled']);
    // A uid and a resourceVersion that are certainly stale: an earlier incarnation's, an older version's.
    let staleUid = 'no-such-uid';
    let staleRv = String((await rest.get(pods, 'hammered')).metadata.resourceVersion);
    let staleDeploymentRv = String(
      (await rest.get(deployments, 'scaled')).metadata.resourceVersion,
    );
    await rest.patch(pods, 'hammered', { metadata: { labels: { fresh: 'yes' } } });
    await rest.patch(deployments, 'scaled', { metadata: { labels: { fresh: 'yes' } } });

    /** Removes the finalizer (unconditioned) so the marked pod goes, checks it went, recreates it. */
    const finishAndRecreate = async (c: Client): Promise<void> => {
      const marked = await rest.get(pods, 'hammered');
      expect(marked.metadata['deletionTimestamp']).toBeDefined();
      staleUid = String(marked.metadata['uid']);
      expect(
        await codeOf(
          c.patch(
            pods,
            'hammered',
            [{ op: 'remove', path: '/metadata/finalizers' }],
            PatchType.Json,
          ),
        ),
      ).toBe('OK');
      expect(await codeOf(rest.get(pods, 'hammered'))).toBe(ErrorCode.NotFound);
      await rest.create(pods, pod());
    };

    const run = async (op: Op, c: Client, n: number): Promise<void> => {
      const label = { metadata: { labels: { step: String(n) } } };
      switch (op) {
        case 'mergePatch':
          return expect(await codeOf(c.patch(pods, 'hammered', label, PatchType.Merge))).toBe('OK');
        case 'strategicPatch':
          return expect(await codeOf(c.patch(pods, 'hammered', label, PatchType.Strategic))).toBe(
            'OK',
          );
        case 'jsonPatch': {
          const patch = [{ op: 'add', path: '/metadata/annotations', value: { step: String(n) } }];
          return expect(await codeOf(c.patch(pods, 'hammered', patch, PatchType.Json))).toBe('OK');
        }
        case 'updateCurrent': {
          // Conditioned on the version just read, with the other writer held: must land.
          await writer!.pause();
          try {
            const current = await c.get<KubeObject>(pods, 'hammered');
            const next = {
              ...current,
              metadata: { ...current.metadata, labels: { step: String(n) } },
            };
            expect(await codeOf(c.update(pods, next))).toBe('OK');
          } finally {
            writer!.resume();
          }
          return;
        }
        case 'updateStale': {
          const current = await c.get<KubeObject>(pods, 'hammered');
          const next = { ...current, metadata: { ...current.metadata, resourceVersion: staleRv } };
          return expect(await codeOf(c.update(pods, next))).toBe(ErrorCode.Conflict);
        }
        case 'mergePatchStale': {
          const patch = { metadata: { resourceVersion: staleRv, labels: { step: String(n) } } };
          return expect(await codeOf(c.patch(pods, 'hammered', patch, PatchType.Merge))).toBe(
            ErrorCode.Conflict,
          );
        }
        case 'delete':
          expect(await codeOf(c.delete(pods, 'hammered'))).toBe('OK');
          return finishAndRecreate(c);
        case 'deleteCurrentUid': {
          const uid = String((await rest.get(pods, 'hammered')).metadata['uid']);
          expect(await codeOf(c.delete(pods, 'hammered', { preconditions: { uid } }))).toBe('OK');
          return finishAndRecreate(c);
        }
        case 'deleteStaleUid':
          return expect(
            await codeOf(c.delete(pods, 'hammered', { preconditions: { uid: staleUid } })),
          ).toBe(ErrorCode.Conflict);
        case 'deleteStaleResourceVersion':
          expect(
            await codeOf(
              c.delete(pods, 'hammered', { preconditions: { resourceVersion: staleRv } }),
            ),
          ).toBe(ErrorCode.Conflict);
          // Still there, not marked.
          return expect(
            (await rest.get(pods, 'hammered')).metadata['deletionTimestamp'],
          ).toBeUndefined();
        // The scale subresource is served by REST only.
        case 'scaleUpdate': {
          const scale = {
            kind: 'Scale',
            apiVersion: 'autoscaling/v1',
            metadata: { name: 'scaled', namespace: ns },
            spec: { replicas: n % 4 },
          };
          return expect(await codeOf(rest.update(deployments, scale, 'scale'))).toBe('OK');
        }
        case 'scalePatch':
          return expect(
            await codeOf(
              rest.patch(
                deployments,
                'scaled',
                { spec: { replicas: (n % 3) + 1 } },
                PatchType.Merge,
                'scale',
              ),
            ),
          ).toBe('OK');
        case 'scaleUpdateStale': {
          const scale = {
            kind: 'Scale',
            apiVersion: 'autoscaling/v1',
            metadata: { name: 'scaled', namespace: ns, resourceVersion: staleDeploymentRv },
            spec: { replicas: 2 },
          };
          return expect(await codeOf(rest.update(deployments, scale, 'scale'))).toBe(
            ErrorCode.Conflict,
          );
        }
      }
    };

    let step = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...OPS), fc.boolean()), { minLength: 5, maxLength: 15 }),
        async (ops) => {
          for (const [op, useGrpc] of ops) await run(op, useGrpc ? grpc : rest, ++step);
          // Everything so far is older than what comes next.
          staleRv = String((await rest.get(pods, 'hammered')).metadata.resourceVersion);
          staleDeploymentRv = String(
            (await rest.get(deployments, 'scaled')).metadata.resourceVersion,
          );
          await rest.patch(pods, 'hammered', { metadata: { labels: { fresh: String(step) } } });
          await rest.patch(deployments, 'scaled', {
            metadata: { labels: { fresh: String(step) } },
          });
        },
      ),
      { numRuns: 12 },
    );
    const counts = await writer.stop();
    writer = undefined;
    // The other process really raced these writes, and its own unconditioned writes never lost.
    expect(counts.writes).toBeGreaterThan(step);
    expect(counts.conflicts).toBe(0);
    expect(counts.errors).toEqual([]);
  }, 300_000);
});
