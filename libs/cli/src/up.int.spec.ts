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

  it('starts the api-server, writes a kubeconfig kubectl uses, and stops cleanly; a second start finds the same cluster', async () => {
    const first = await start();
    const kubeconfig = join(home, 'kubeconfig');
    expect(first.out()).toContain(`export KUBECONFIG=${kubeconfig}`);
    const kubectl = (...args: string[]) =>
      execFileSync(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });
    kubectl('create', 'namespace', 'kept');
    expect(kubectl('get', 'namespace', 'kept', '-o', 'name').trim()).toBe('namespace/kept');

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
