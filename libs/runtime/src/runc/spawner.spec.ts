import { execFile } from 'node:child_process';
import { BosunError, ErrorCode } from '@bosun/common';
import { run, tryRun } from './command';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSpawner, spawnerDaemon, spawnerExec, spawnerPid } from './spawner';

/** Real processes through the real helper: plain host tools, no root needed. */
describe('spawner', () => {
  afterEach(() => closeSpawner());

  test('returns output and exit codes', async () => {
    const ok = await spawnerExec('/bin/sh', ['-c', 'echo out; echo err >&2']);
    expect(ok).toEqual({ code: 0, stdout: 'out\n', stderr: 'err\n' });

    const failed = await spawnerExec('/bin/sh', ['-c', 'echo half; exit 3']);
    expect(failed).toMatchObject({ code: 3, stdout: 'half\n', stderr: '' });
    expect(failed.error).toContain('Command failed');
  });

  test('reports a command killed by a signal', async () => {
    const killed = await spawnerExec('/bin/sh', ['-c', 'kill -KILL $$']);
    expect(killed).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(killed.error).toBeDefined();
  });

  test('passes input to the program on its stdin', async () => {
    expect(await run('/bin/cat', [], 'line 1\nline 2\n')).toEqual({
      stdout: 'line 1\nline 2\n',
      stderr: '',
    });
  });

  test('carries large multi-byte output intact, whatever the pipe chunks', async () => {
    const input = 'héllo wörld ✓ 🚀\n'.repeat(100_000);
    const { stdout } = await run('/bin/cat', [], input);
    expect(stdout).toBe(input);
  });

  test('a failing command rejects with its stderr, as run always did', async () => {
    const args = ['-c', 'echo "  no such device  " >&2; exit 1'];
    const err = await run('/bin/sh', args).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BosunError);
    expect(err).toMatchObject({
      code: ErrorCode.Internal,
      message: `/bin/sh ${args.join(' ')} failed: no such device`,
      context: { file: '/bin/sh', args },
    });
    expect(await tryRun('/bin/sh', args)).toBe(false);
    expect(await tryRun('/bin/true', [])).toBe(true);
  });

  test('a failure without stderr rejects with the message a direct execFile gave', async () => {
    for (const [file, args] of [
      ['/bin/false', []],
      ['/bin/sh', ['-c', 'exit 7']],
      ['/nonexistent/tool', ['up']],
    ] as const) {
      const direct = await new Promise<string>((resolve) =>
        execFile(file, args, (e) => resolve(e?.message ?? 'no error')),
      );
      await expect(run(file, args)).rejects.toThrow(`${file} ${args.join(' ')} failed: ${direct}`);
    }
  });

  test('a missing binary rejects clearly', async () => {
    await expect(run('/nonexistent/tool', ['up'])).rejects.toThrow(
      '/nonexistent/tool up failed: spawn /nonexistent/tool ENOENT',
    );
    expect((await run('/bin/echo', ['still', 'working'])).stdout).toBe('still working\n');
  });

  test('many concurrent calls each get their own output, from one helper', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => run('/bin/sh', ['-c', `echo ${i}; echo e${i} >&2`])),
    );
    const pid = spawnerPid();
    results.forEach((r, i) => expect(r).toEqual({ stdout: `${i}\n`, stderr: `e${i}\n` }));
    expect(pid).toBeDefined();
    await run('/bin/true', []);
    expect(spawnerPid()).toBe(pid);
  });

  test('a killed helper fails the calls in flight; the next call starts a new one', async () => {
    // No input: cat waits on a stdin the helper holds open, until the helper dies.
    const inFlight = [run('/bin/cat', []), run('/bin/cat', [])];
    const pid = spawnerPid();
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    for (const call of inFlight) {
      await expect(call).rejects.toThrow(
        `/bin/cat  failed: command helper (pid ${pid}) was killed by SIGKILL`,
      );
    }
    expect((await run('/bin/echo', ['again'])).stdout).toBe('again\n');
    expect(spawnerPid()).not.toBe(pid);
  });

  test('a helper that cannot start fails the call; the next call starts one', async () => {
    const execPath = process.execPath;
    let call: Promise<unknown>;
    try {
      process.execPath = '/nonexistent/node';
      call = run('/bin/echo', ['x']);
    } finally {
      process.execPath = execPath;
    }
    await expect(call).rejects.toThrow(
      /^\/bin\/echo x failed: command helper \(pid none\) could not run: spawn \/nonexistent\/node ENOENT/,
    );
    expect((await run('/bin/echo', ['y'])).stdout).toBe('y\n');
  });

  test('closing answers the calls in flight, then the helper exits', async () => {
    const call = run('/bin/sh', ['-c', 'echo late']);
    const pid = spawnerPid() as number;
    await closeSpawner();
    expect((await call).stdout).toBe('late\n');
    expect(spawnerPid()).toBeUndefined();
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  describe('daemons', () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'bosun-daemon-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));
    const opts = () => ({ cwd: dir, env: { PATH: '/usr/bin:/bin' }, errPath: join(dir, 'err') });

    test('answers with the first JSON message on fd 3 while the daemon goes on running', async () => {
      const script = 'echo starting >&2; printf \'{"data": \' >&3; echo "$$}" >&3; exec sleep 30';
      const result = await spawnerDaemon('/bin/sh', ['-c', script], opts());
      expect(result.code).toBe(0);
      const { data: pid } = JSON.parse(result.stdout) as { data: number };
      // still running: the answer came from its report, not its exit
      expect(() => process.kill(pid, 0)).not.toThrow();
      process.kill(pid, 'SIGKILL');
      expect(await readFile(join(dir, 'err'), 'utf8')).toContain('starting');
    });

    test('a daemon that closes fd 3 without a report answers with an error', async () => {
      const result = await spawnerDaemon('/bin/sh', ['-c', 'echo half >&3; exec 3>&-'], opts());
      expect(result.code).toBeNull();
      expect(result.error).toMatch(/without a report/);
      expect(result.stdout).toBe('half\n');
    });

    test('a daemon that cannot start answers with an error', async () => {
      const result = await spawnerDaemon('/nonexistent/conmon', [], opts());
      expect(result.code).toBeNull();
      expect(result.error).toMatch(/ENOENT/);
    });
  });
});
