import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import {
  createTestSchema,
  freePort,
  natsUrl,
  uniquePrefix,
  waitFor,
  type TestSchema,
} from '@bosun/testing';

const BIN = join(__dirname, '..', 'bin', 'bosun.js');
const KUBECTL = '/usr/bin/kubectl';
/** A hollow node: only the Node object, as a fake node agent would register it. */
const NODE = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'hollow-1', labels: { 'kubernetes.io/hostname': 'hollow-1' } },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }],
  },
});

describe('bosun up / down (needs Postgres, NATS, a build, kubectl)', () => {
  let schema: TestSchema;
  let home: string;
  const natsPrefix = uniquePrefix('up');

  beforeAll(async () => {
    schema = await createTestSchema('up');
    home = mkdtempSync(join(tmpdir(), 'bosun-home-'));
  });
  afterAll(async () => {
    rmSync(home, { recursive: true, force: true });
    await schema.drop();
    const nc = await connect({ servers: natsUrl() });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`${natsPrefix}_EVENTS`).catch(() => undefined);
    await nc.close();
  });

  const start = async () => {
    const env = {
      ...process.env,
      BOSUN_HOME: home,
      DATABASE_URL: schema.url,
      DATABASE_SCHEMA: schema.schema,
      NATS_PREFIX: natsPrefix,
      BOSUN_API_PORT: String(await freePort()),
      BOSUN_API_HEALTH_PORT: String(await freePort()),
      BOSUN_SCHEDULER_HEALTH_PORT: String(await freePort()),
      BOSUN_CONTROLLER_MANAGER_HEALTH_PORT: String(await freePort()),
    };
    const child = spawn(process.execPath, [BIN, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    await waitFor(() => stdout.includes('export KUBECONFIG='), {
      timeoutMs: 60_000,
      what: `bosun up to print its summary (stdout: ${stdout} stderr: ${stderr})`,
    });
    return { child, env, exited, out: () => stdout };
  };

  it('starts the control plane (api-server, controller-manager, scheduler), writes a kubeconfig kubectl uses, and stops cleanly; a second start finds the same cluster', async () => {
    const first = await start();
    const kubeconfig = join(home, 'kubeconfig');
    expect(first.out()).toContain(`export KUBECONFIG=${kubeconfig}`);
    const kubectl = (...args: string[]) => {
      const stdin = args[args.length - 1]?.startsWith('{') ? args.pop() : undefined;
      return execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {
        encoding: 'utf8',
        input: stdin,
      });
    };
    kubectl('create', 'namespace', 'kept');
    expect(kubectl('get', 'namespace', 'kept', '-o', 'name').trim()).toBe('namespace/kept');

    // The controller-manager turns a Deployment into pods; the scheduler binds them to a node.
    kubectl('-n', 'kept', 'create', 'deployment', 'web', '--image=busybox', '--replicas=2');
    await waitFor(
      () => kubectl('-n', 'kept', 'get', 'pods', '-o', 'name').trim().split('\n').length === 2,
      { timeoutMs: 30_000, what: 'the Deployment to get 2 pods' },
    );
    kubectl('apply', '-f', '-', NODE);
    await waitFor(
      () =>
        kubectl('-n', 'kept', 'get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}') ===
        'hollow-1 hollow-1',
      { timeoutMs: 30_000, what: 'both pods bound to hollow-1' },
    );

    const down = spawn(process.execPath, [BIN, 'down'], { env: first.env, stdio: 'ignore' });
    expect(await new Promise((r) => down.once('exit', r))).toBe(0);
    expect(await first.exited).toBe(0);
    expect(existsSync(join(home, 'run', 'bosun-up.json'))).toBe(false);

    const second = await start();
    expect(kubectl('get', 'namespace', 'kept', '-o', 'name').trim()).toBe('namespace/kept');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('says what is missing and exits non-zero when Postgres is not reachable', async () => {
    const port = await freePort();
    const res = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'up'], {
        env: {
          ...process.env,
          BOSUN_HOME: home,
          DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      c.stderr.on('data', (d) => (err += d));
      c.once('exit', (code) => resolve({ code, err }));
    });
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/PostgreSQL at .* is not reachable/);
    expect(res.err).toMatch(/fix: check DATABASE_URL/);
  }, 30_000);
});
