import { readFile } from 'node:fs/promises';
import { BosunError } from '@bosun/common';
import {
  ContainerState,
  ExitReason,
  SandboxState,
  execCollect,
  parseCriLogLine,
  type ContainerConfig,
  type ContainerImage,
  type ContainerRuntime,
  type ContainerStatus,
} from '../src';

export interface BehaviourTarget {
  readonly runtime: ContainerRuntime;
  readonly image: ContainerImage;
  /** Makes a running container exit now (the fake has no process to do it by itself). */
  readonly exit?: (id: string, code: number) => Promise<void>;
}

export interface BehaviourCapabilities {
  /** Containers really run their command (exit codes, logs, signals). */
  readonly runsProcesses: boolean;
  /** Exec can allocate a terminal. */
  readonly tty: boolean;
}

let seq = 0;
const pod = () => ({ name: `pod-${++seq}`, namespace: 'default', uid: `uid-${seq}` });

/** Waits for a container to leave `running` (no sleeps: polls the status). */
export async function waitForExit(
  runtime: ContainerRuntime,
  id: string,
  timeoutMs = 30_000,
): Promise<ContainerStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await runtime.containerStatus(id);
    if (s.state === ContainerState.Exited) return s;
    if (Date.now() > deadline) throw new Error(`container ${id} still ${s.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the container's log has a line containing `text` (the process is ready). */
export async function waitForLog(
  runtime: ContainerRuntime,
  id: string,
  text: string,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { logPath } = await runtime.containerStatus(id);
    const log = await readFile(logPath, 'utf8').catch(() => '');
    if (log.includes(text)) return log;
    if (Date.now() > deadline) throw new Error(`no "${text}" in the log of ${id}: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The behaviour every runtime shares, run against fake, process and runc. `target()` is read
 * lazily (inside the tests) so a suite can set it up in beforeAll.
 */
export function behaviourSuite(target: () => BehaviourTarget, caps: BehaviourCapabilities): void {
  const rt = () => target().runtime;
  const container = (name: string, command: string[], extra: Partial<ContainerConfig> = {}) => ({
    name,
    image: target().image,
    command,
    ...extra,
  });
  const runOne = async (command: string[], extra: Partial<ContainerConfig> = {}) => {
    const sandbox = await rt().runPodSandbox(pod());
    const id = await rt().createContainer(sandbox.id, container('main', command, extra));
    await rt().startContainer(id);
    return { sandbox, id };
  };

  test('a sandbox is ready, listed, stopped to notready and removed', async () => {
    const sandbox = await rt().runPodSandbox(pod());
    expect(sandbox.state).toBe(SandboxState.Ready);
    expect((await rt().listPodSandboxes()).map((s) => s.id)).toContain(sandbox.id);
    await rt().stopPodSandbox(sandbox.id, 0);
    expect((await rt().podSandboxStatus(sandbox.id)).state).toBe(SandboxState.NotReady);
    await rt().removePodSandbox(sandbox.id);
    expect((await rt().listPodSandboxes()).map((s) => s.id)).not.toContain(sandbox.id);
    await expect(rt().podSandboxStatus(sandbox.id)).rejects.toMatchObject({ code: 'NotFound' });
  });

  test('a container goes created -> running -> exited with its exit code', async () => {
    const sandbox = await rt().runPodSandbox(pod());
    const id = await rt().createContainer(
      sandbox.id,
      container('c', ['sh', '-c', 'read x; exit 3']),
    );
    expect((await rt().containerStatus(id)).state).toBe(ContainerState.Created);
    await rt().startContainer(id);
    const running = await rt().containerStatus(id);
    expect([ContainerState.Running, ContainerState.Exited]).toContain(running.state);
    if (!caps.runsProcesses) await target().exit!(id, 3);
    const exited = await waitForExit(rt(), id);
    expect(exited).toMatchObject({ exitCode: 3, reason: ExitReason.Error, sandboxId: sandbox.id });
    expect(exited.startedAt).toBeDefined();
    expect(exited.finishedAt).toBeDefined();
    await rt().removePodSandbox(sandbox.id);
  });

  test('exit code 0 is reported as Completed', async () => {
    const { sandbox, id } = await runOne(['sh', '-c', 'exit 0']);
    if (!caps.runsProcesses) await target().exit!(id, 0);
    expect(await waitForExit(rt(), id)).toMatchObject({
      exitCode: 0,
      reason: ExitReason.Completed,
    });
    await rt().removePodSandbox(sandbox.id);
  });

  test('containers are listed per sandbox and by state', async () => {
    const a = await runOne(['sleep', '1000']);
    const b = await runOne(['sleep', '1000']);
    const inA = await rt().listContainers({ sandboxId: a.sandbox.id });
    expect(inA.map((c) => c.id)).toEqual([a.id]);
    const running = await rt().listContainers({ state: ContainerState.Running });
    expect(running.map((c) => c.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    await rt().removePodSandbox(a.sandbox.id);
    await rt().removePodSandbox(b.sandbox.id);
    await expect(rt().containerStatus(a.id)).rejects.toBeInstanceOf(BosunError);
  });

  test('stop ends a running container; stopping again is a no-op', async () => {
    const { sandbox, id } = await runOne(['sleep', '1000']);
    await rt().stopContainer(id, 1_000);
    const s = await rt().containerStatus(id);
    expect(s.state).toBe(ContainerState.Exited);
    await rt().stopContainer(id, 1_000);
    await rt().removeContainer(id);
    await expect(rt().containerStatus(id)).rejects.toMatchObject({ code: 'NotFound' });
    await rt().removePodSandbox(sandbox.id);
  });

  test('starting a container twice is a conflict; unknown ids are NotFound', async () => {
    const { sandbox, id } = await runOne(['sleep', '1000']);
    await expect(rt().startContainer(id)).rejects.toMatchObject({ code: 'Conflict' });
    await expect(rt().containerStatus('bosun-ct-000000000000')).rejects.toMatchObject({
      code: 'NotFound',
    });
    await expect(
      rt().createContainer('bosun-sb-000000000000', container('x', ['true'])),
    ).rejects.toMatchObject({
      code: 'NotFound',
    });
    await rt().removePodSandbox(sandbox.id);
  });

  if (!caps.runsProcesses) return;

  test('stdout and stderr land in the log file in CRI format', async () => {
    const { sandbox, id } = await runOne(['sh', '-c', 'echo hello; echo oops >&2; printf tail']);
    const exited = await waitForExit(rt(), id);
    const lines = (await readFile(exited.logPath, 'utf8')).trim().split('\n');
    const entries = lines.map(parseCriLogLine);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'stdout', partial: false, line: 'hello' }),
        expect.objectContaining({ stream: 'stderr', partial: false, line: 'oops' }),
        expect.objectContaining({ stream: 'stdout', partial: true, line: 'tail' }),
      ]),
    );
    for (const line of lines) {
      // RFC 3339 with nanoseconds; the offset is Z (our writer) or +00:00 (conmon).
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) (stdout|stderr) [FP] /,
      );
    }
    await rt().removePodSandbox(sandbox.id);
  });

  test('exec returns output, stderr and exit code, and takes stdin', async () => {
    const { sandbox, id } = await runOne(['sleep', '1000']);
    const r = await execCollect(rt(), id, ['sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r).toEqual({ exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
    const cat = await execCollect(rt(), id, ['cat'], { stdin: 'piped in' });
    expect(cat).toMatchObject({ exitCode: 0, stdout: 'piped in' });
    await rt().removePodSandbox(sandbox.id);
  });

  test('an exec that overruns its timeout is killed and reported as Timeout', async () => {
    const { sandbox, id } = await runOne(['sleep', '1000']);
    await expect(execCollect(rt(), id, ['sleep', '987'], { timeoutMs: 300 })).rejects.toMatchObject(
      {
        code: 'Timeout',
      },
    );
    const ps = await execCollect(rt(), id, ['ps', '-o', 'args']);
    expect(ps.stdout).not.toContain('sleep 987');
    await rt().removePodSandbox(sandbox.id);
  });

  const ttyTest = caps.tty
    ? test
    : (name: string, fn: () => Promise<void>) =>
        test.skip(`SKIPPED: ${name} (this runtime has no TTY exec)`, fn);
  ttyTest('exec with a TTY gets a terminal', async () => {
    const { sandbox, id } = await runOne(['sleep', '1000']);
    const r = await execCollect(
      rt(),
      id,
      ['sh', '-c', 'test -t 0 && test -t 1 && echo tty; exit 5'],
      {
        tty: true,
      },
    );
    expect(r.exitCode).toBe(5);
    // A terminal turns \n into \r\n (twice when the host side is not raw yet).
    expect(r.stdout).toMatch(/tty\r+\n/);
    await rt().removePodSandbox(sandbox.id);
  });

  test('stop sends SIGTERM first: a process that handles it exits by itself', async () => {
    const { sandbox, id } = await runOne([
      'sh',
      '-c',
      "trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done",
    ]);
    await waitForLog(rt(), id, 'ready');
    await rt().stopContainer(id, 60_000);
    expect(await rt().containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 0 });
    await rt().removePodSandbox(sandbox.id);
  });

  test('stop sends SIGKILL after the grace period to a process that ignores SIGTERM', async () => {
    const { sandbox, id } = await runOne([
      'sh',
      '-c',
      "trap '' TERM; echo ready; while :; do sleep 0.1; done",
    ]);
    await waitForLog(rt(), id, 'ready');
    await rt().stopContainer(id, 300);
    expect(await rt().containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 137 });
    await rt().removePodSandbox(sandbox.id);
  });

  test('env, args and working directory reach the process', async () => {
    const { sandbox, id } = await runOne(['sh', '-c'], {
      args: ['echo "$GREETING $0 $(pwd)"', 'arg0'],
      env: { GREETING: 'hi' },
      workingDir: '/tmp',
    });
    const exited = await waitForExit(rt(), id);
    const log = await readFile(exited.logPath, 'utf8');
    expect(log).toContain('stdout F hi arg0 /tmp');
    await rt().removePodSandbox(sandbox.id);
  });

  test('stats report memory use of a running container', async () => {
    const { sandbox, id } = await runOne(['sh', '-c', 'echo ready; while :; do sleep 1; done']);
    await waitForLog(rt(), id, 'ready');
    const stats = await rt().containerStats(id);
    expect(stats.id).toBe(id);
    expect(stats.memoryUsageBytes).toBeGreaterThan(0);
    await rt().removePodSandbox(sandbox.id);
  });
}
