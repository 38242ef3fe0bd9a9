import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitFor } from '@bosun/testing';

// Runs a miniature service as a real process (TypeScript through @swc-node/register) to prove
// what only a process can show: every stdout line is JSON, and SIGTERM closes cleanly with exit 0.

const root = join(__dirname, '..', '..', '..');
const fixture = join(__dirname, 'fixtures', 'sigterm-service.ts');

interface Running {
  child: ChildProcess;
  lines: () => Record<string, unknown>[];
  raw: () => string;
}

function startFixture(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', fixture], {
    cwd: root,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const lines = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, lines, raw: () => out };
}

describe('bootstrapService as a process (integration)', () => {
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  it('logs JSON, serves health, and on SIGTERM runs shutdown hooks and exits 0', async () => {
    running = startFixture({ FIXTURE_SVC_HTTP_HOST: '127.0.0.1', FIXTURE_SVC_HTTP_PORT: '0' });
    const { child, lines } = running;
    const listening = await waitFor(() => lines().find((l) => l.msg === 'fixture-svc listening'), {
      timeoutMs: 30_000,
      what: 'the fixture to listen',
    });
    const res = await fetch(`http://127.0.0.1:${String(listening.port)}/livez`);
    expect(res.status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    const messages = lines().map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'fixture-svc received SIGTERM',
        'fixture resource released',
        'fixture-svc stopped',
      ]),
    );
    expect(lines().every((l) => l.component === 'fixture-svc')).toBe(true);
  });

  it('a SIGTERM during start-up waits for start to finish, then stops cleanly with exit 0', async () => {
    running = startFixture({
      FIXTURE_SVC_HTTP_HOST: '127.0.0.1',
      FIXTURE_SVC_HTTP_PORT: '0',
      FIXTURE_SLOW_INIT_MS: '1500',
    });
    const { child, lines } = running;
    await waitFor(() => lines().find((l) => l.msg === 'fixture init begun'), {
      timeoutMs: 30_000,
      what: 'start-up to begin',
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const messages = lines().map((l) => l.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'fixture-svc received SIGTERM',
        'fixture-svc listening',
        'fixture resource released',
        'fixture-svc stopped',
      ]),
    );
  });

  it('stops start-up with exit 1 and one fatal JSON line naming a bad variable', async () => {
    running = startFixture({ FIXTURE_SVC_HTTP_PORT: '99999' });
    const [code] = await once(running.child, 'exit');
    expect(code).toBe(1);
    const fatal = running.lines().find((l) => l.level === 60);
    expect(String(fatal?.msg)).toContain('FIXTURE_SVC_HTTP_PORT="99999" is not valid');
  });
});
