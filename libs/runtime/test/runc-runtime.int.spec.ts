import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import {
  ContainerState,
  ExitReason,
  RuncRuntime,
  cgroupDirs,
  isCgroupV2,
  execCollect,
  type ContainerConfig,
  type ContainerRuntime,
} from '../src';
import { behaviourSuite, waitForExit, waitForLog, type BehaviourTarget } from './behaviour-suite';
import {
  createRuncFixture,
  linkExists,
  mountsUnder,
  runcUnavailable,
  type RuncFixture,
} from './runc-fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const why = runcUnavailable();

if (why) {
  test.skip(`SKIPPED: runc runtime integration tests need root, runc, ip and busybox: ${why}`, () =>
    undefined);
} else {
  describe('RuncRuntime (integration: real runc containers, netns, cgroups)', () => {
    jest.setTimeout(120_000);
    let fx: RuncFixture;
    let seq = 0;
    const pod = () => ({ name: `web-${++seq}`, namespace: 'default', uid: `u${seq}` });
    const cfg = (command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      name: `c${++seq}`,
      image: fx.image,
      command,
      ...extra,
    });
    const rt = (): ContainerRuntime => fx.runtime;

    beforeAll(async () => {
      fx = await createRuncFixture();
    }, 120_000);

    afterAll(async () => {
      await fx?.cleanup();
    }, 120_000);

    describe('shared behaviour', () => {
      const target = (): BehaviourTarget => ({ runtime: fx.runtime, image: fx.image });
      behaviourSuite(target, { runsProcesses: true, tty: true });
    });

    test('info reports an isolating runc runtime', () => {
      expect(rt().info()).toMatchObject({ name: 'runc', isolated: true });
    });

    test('a memory limit OOM-kills the container and the status says OOMKilled', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while :; do x=$x$x$x$x; done'], {
          resources: { memoryLimitBytes: 16 * 1024 * 1024 },
        }),
      );
      await rt().startContainer(id);
      expect(await waitForExit(rt(), id, 60_000)).toMatchObject({
        exitCode: 137,
        reason: ExitReason.OOMKilled,
      });
      await rt().removePodSandbox(sb.id);
    });

    test('default capabilities are the Kubernetes set; drop removes more; no new privileges', async () => {
      const sb = await rt().runPodSandbox(pod());
      const plain = await rt().createContainer(sb.id, cfg(['sleep', '1000']));
      const noRaw = await rt().createContainer(
        sb.id,
        cfg(['sleep', '1000'], { capabilities: { drop: ['NET_RAW'] } }),
      );
      await rt().startContainer(plain);
      await rt().startContainer(noRaw);
      const status = (await execCollect(rt(), plain, ['cat', '/proc/self/status'])).stdout;
      // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW
      // SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP: the well-known 0xa80425fb.
      expect(status).toMatch(/CapEff:\s+00000000a80425fb/);
      expect(status).toMatch(/CapBnd:\s+00000000a80425fb/);
      expect(status).toMatch(/NoNewPrivs:\s+1/);
      const dropped = (await execCollect(rt(), noRaw, ['cat', '/proc/self/status'])).stdout;
      expect(dropped).toMatch(/CapEff:\s+00000000a80405fb/);
      await rt().removePodSandbox(sb.id);
    });

    test('two containers of a sandbox share its network namespace (127.0.0.1)', async () => {
      const sb = await rt().runPodSandbox(pod());
      // stdin that never ends: busybox nc may quit on stdin EOF before reading the peer.
      const server = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'sleep 1000 | nc -l -p 8080']),
      );
      const client = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'until echo hello-neighbour | nc 127.0.0.1 8080; do sleep 0.1; done']),
      );
      await rt().startContainer(server);
      await rt().startContainer(client);
      await waitForLog(rt(), server, 'hello-neighbour');
      await rt().removePodSandbox(sb.id);
    });

    test('the sandbox gets an IP from the pod CIDR, reachable from the host', async () => {
      const sb = await rt().runPodSandbox(pod());
      expect(sb.ip).toBeDefined();
      const [net, prefix] = ipaddr.IPv4.parseCIDR(fx.options.podCidr);
      expect(ipaddr.IPv4.parse(sb.ip!).match(net, prefix)).toBe(true);
      const server = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'sleep 1000 | nc -l -p 8081']),
      );
      await rt().startContainer(server);
      await sendUntilAccepted(sb.ip!, 8081, 'hello-from-host\n');
      await waitForLog(rt(), server, 'hello-from-host');
      const idle = await rt().createContainer(sb.id, cfg(['sleep', '1000']));
      await rt().startContainer(idle);
      const addr = await execCollect(rt(), idle, ['ip', '-4', 'addr', 'show', 'eth0']);
      expect(addr.stdout).toContain(`${sb.ip}/24`);
      await rt().removePodSandbox(sb.id);
    });

    test('containers of a sandbox share its IPC and UTS namespaces but not their PID namespace', async () => {
      const sb = await rt().runPodSandbox(pod());
      const other = await rt().runPodSandbox(pod());
      const a = await rt().createContainer(sb.id, cfg(['sleep', '1000']));
      const b = await rt().createContainer(sb.id, cfg(['sleep', '1000']));
      const c = await rt().createContainer(other.id, cfg(['sleep', '1000']));
      for (const id of [a, b, c]) await rt().startContainer(id);
      const ns = async (id: string, kind: string) =>
        (await execCollect(rt(), id, ['readlink', `/proc/self/ns/${kind}`])).stdout.trim();
      for (const kind of ['ipc', 'uts', 'net']) {
        expect(await ns(a, kind)).toMatch(new RegExp(`^${kind}:\\[\\d+\\]$`));
        expect(await ns(a, kind)).toBe(await ns(b, kind));
        expect(await ns(a, kind)).not.toBe(await ns(c, kind));
      }
      expect(await ns(a, 'pid')).not.toBe(await ns(b, 'pid'));
      await rt().removePodSandbox(sb.id);
      await rt().removePodSandbox(other.id);
      expect(mountsUnder(join(fx.options.root, 'sandboxes', sb.id))).toEqual([]);
    });

    test('portForward connects the host to a port inside the pod', async () => {
      const sb = await rt().runPodSandbox(pod());
      const server = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'sleep 1000 | nc -l -p 9090']),
      );
      await rt().startContainer(server);
      const socket = await retry(() => rt().portForward(sb.id, 9090));
      socket.end('through-port-forward\n');
      await waitForLog(rt(), server, 'through-port-forward');
      await rt().removePodSandbox(sb.id);
    });

    test('containers see the sandbox hostname', async () => {
      const sb = await rt().runPodSandbox({ ...pod(), hostname: 'my-pod' });
      const id = await rt().createContainer(sb.id, cfg(['sh', '-c', 'hostname; cat /etc/hosts']));
      await rt().startContainer(id);
      const exited = await waitForExit(rt(), id);
      const log = await readFile(exited.logPath, 'utf8');
      expect(log).toContain('stdout F my-pod');
      expect(log).toContain(`${sb.ip}\tmy-pod`);
      await rt().removePodSandbox(sb.id);
    });

    test('writes go to the container overlay, never into the shared image rootfs', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'echo x > /bin/written && cat /bin/written']),
      );
      await rt().startContainer(id);
      expect(await waitForExit(rt(), id)).toMatchObject({ exitCode: 0 });
      expect(existsSync(join(fx.imageRootfs, 'bin', 'written'))).toBe(false);
      await rt().removePodSandbox(sb.id);
    });

    test('bind mounts and tmpfs mounts appear in the container', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(
          [
            'sh',
            '-c',
            'cat /data/sandbox.json >/dev/null && echo bind-ok; grep " /scratch tmpfs" /proc/mounts',
          ],
          {
            mounts: [
              {
                containerPath: '/data',
                hostPath: join(fx.options.root, 'sandboxes', sb.id),
                readOnly: true,
              },
              { containerPath: '/scratch', type: 'tmpfs' },
            ],
          },
        ),
      );
      await rt().startContainer(id);
      const exited = await waitForExit(rt(), id);
      const log = await readFile(exited.logPath, 'utf8');
      expect(log).toContain('bind-ok');
      expect(log).toContain('/scratch tmpfs');
      await rt().removePodSandbox(sb.id);
    });

    test('a command that cannot run is reported as ContainerCannotRun', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(sb.id, cfg(['/no/such/binary']));
      await rt().startContainer(id);
      const exited = await waitForExit(rt(), id);
      expect(exited.reason).toBe(ExitReason.ContainerCannotRun);
      expect(exited.message).toMatch(/no such file/i);
      await rt().removePodSandbox(sb.id);
    });

    /** A sandbox with one container that has logged `up` and keeps running. */
    const startLooping = async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(['sh', '-c', 'echo up; while :; do sleep 1; done']),
      );
      await rt().startContainer(id);
      await waitForLog(rt(), id, 'up');
      return { sb, id };
    };

    test('a new runtime object adopts running containers: nothing killed or duplicated', async () => {
      const { sb, id } = await startLooping();
      const before = await rt().containerStatus(id);
      const again = await RuncRuntime.open(fx.options);
      const adopted = await again.listContainers({ sandboxId: sb.id });
      expect(adopted).toHaveLength(1);
      expect(adopted[0]).toMatchObject({ id, state: ContainerState.Running, pid: before.pid });
      expect((await again.listPodSandboxes()).map((s) => s.id)).toContain(sb.id);
      expect((await again.runc.list()).filter((s) => s.id === id)).toHaveLength(1);
      await again.stopContainer(id, 0);
      expect(await rt().containerStatus(id)).toMatchObject({
        state: ContainerState.Exited,
        exitCode: 137,
      });
      await again.removePodSandbox(sb.id);
    });

    test('an exit while no runtime object exists is recorded by conmon and seen after adoption', async () => {
      const signalDir = await mkdtemp(join(tmpdir(), 'bosun-signal-'));
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(
          [
            'sh',
            '-c',
            'echo waiting; until [ -f /signal/go ]; do sleep 0.05; done; echo bye; exit 4',
          ],
          {
            mounts: [{ containerPath: '/signal', hostPath: signalDir }],
          },
        ),
      );
      await rt().startContainer(id);
      await waitForLog(rt(), id, 'waiting');
      // The "agent" is gone: only conmon watches the container now.
      await writeFile(join(signalDir, 'go'), '');
      await waitUntilFile(join(fx.options.root, 'containers', id, 'conmon-exit', id));
      const later = await RuncRuntime.open(fx.options);
      const status = await waitForExit(later, id);
      expect(status).toMatchObject({ exitCode: 4, reason: ExitReason.Error });
      expect(await readFile(status.logPath, 'utf8')).toContain('stdout F bye');
      await later.removePodSandbox(sb.id);
      await rm(signalDir, { recursive: true, force: true });
    });

    test('a container whose shim was killed is still seen running, and its end as lost', async () => {
      const { sb, id } = await startLooping();
      const dir = join(fx.options.root, 'containers', id);
      const shimPid = Number(await readFile(join(dir, 'shim.pid'), 'utf8'));
      const before = await rt().containerStatus(id);
      process.kill(shimPid, 'SIGKILL');
      for (let i = 0; i < 200 && existsSync(`/proc/${shimPid}/cmdline`); i++) await sleep(10);
      // No shim watches it any more: runc is the witness that it still runs...
      expect(await rt().containerStatus(id)).toMatchObject({
        state: ContainerState.Running,
        pid: before.pid,
      });
      // ...and that it ended, with nobody left to record the exit code.
      process.kill(before.pid!, 'SIGKILL');
      const status = await waitForExit(rt(), id);
      expect(status).toMatchObject({ exitCode: 255, reason: ExitReason.Error });
      expect(status.message).toContain('no shim was watching');
      expect(existsSync(join(dir, 'exit.json'))).toBe(false);
      await rt().removePodSandbox(sb.id);
    });

    test('the log of a running container rotates by size; conmon goes on in a new file', async () => {
      const signalDir = await mkdtemp(join(tmpdir(), 'bosun-signal-'));
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(
          [
            'sh',
            '-c',
            [
              'i=0; while [ $i -lt 200 ]; do echo "line $i of some log output"; i=$((i+1)); done',
              'until [ -f /signal/go ]; do sleep 0.05; done',
              'echo after rotation; sleep 1000',
            ].join('; '),
          ],
          { logMaxBytes: 4096, mounts: [{ containerPath: '/signal', hostPath: signalDir }] },
        ),
      );
      await rt().startContainer(id);
      const { logPath } = await rt().containerStatus(id);
      await waitUntilFile(`${logPath}.1`);
      await writeFile(join(signalDir, 'go'), '');
      await waitForLog(rt(), id, 'after rotation');
      const rotated = await readFile(`${logPath}.1`, 'utf8');
      const current = await readFile(logPath, 'utf8');
      expect(rotated).toContain('stdout F line 199 of some log output');
      expect(rotated).not.toContain('after rotation');
      expect(current).toContain('stdout F after rotation');
      expect(current.length).toBeLessThanOrEqual(4096);
      await rt().removePodSandbox(sb.id);
      await rm(signalDir, { recursive: true, force: true });
    });

    test('a start the agent never finished is reported as ContainerCannotRun, not left created', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(sb.id, cfg(['sleep', '1000']));
      // As if the agent died between recording the start and launching the shim a minute ago.
      const metaPath = join(fx.options.root, 'containers', id, 'meta.json');
      const meta = JSON.parse(await readFile(metaPath, 'utf8'));
      const longAgo = new Date(Date.now() - 120_000).toISOString();
      await writeFile(metaPath, JSON.stringify({ ...meta, startRequestedAt: longAgo }));
      expect(await rt().containerStatus(id)).toMatchObject({
        state: ContainerState.Exited,
        reason: ExitReason.ContainerCannotRun,
      });
      await rt().removePodSandbox(sb.id);
    });

    test('removing a sandbox leaves no netns, veth, cgroup, mount or runc container behind', async () => {
      const sb = await rt().runPodSandbox(pod());
      const id = await rt().createContainer(
        sb.id,
        cfg(['sleep', '1000'], {
          resources: { memoryLimitBytes: 64 * 1024 * 1024, cpuShares: 512, cpuQuotaUs: 50_000 },
        }),
      );
      await rt().startContainer(id);
      const names = fx.runtime.network.names(sb.id);
      expect(existsSync(names.netnsPath)).toBe(true);
      expect(linkExists(names.hostVeth)).toBe(true);
      const cgroupPath = `/${fx.options.cgroupParent}/${sb.id}/${id}`;
      expect((await cgroupDirs(cgroupPath)).length).toBeGreaterThan(0);
      expect(await cgroupLimits(cgroupPath)).toEqual({
        memory: 64 * 1024 * 1024,
        quota: 50_000,
        shares: 512,
      });
      await rt().stopPodSandbox(sb.id, 0);
      await rt().removePodSandbox(sb.id);
      expect(existsSync(names.netnsPath)).toBe(false);
      expect(linkExists(names.hostVeth)).toBe(false);
      expect(await cgroupDirs(cgroupPath)).toEqual([]);
      expect(await cgroupDirs(`/${fx.options.cgroupParent}/${sb.id}`)).toEqual([]);
      expect(mountsUnder(join(fx.options.root, 'containers', id))).toEqual([]);
      expect(await fx.runtime.runc.state(id)).toBeUndefined();
      expect(Object.values(await fx.runtime.network.ipam.allocations())).not.toContain(sb.id);
    });
  });
}

/** Connects to a pod from the host until its listener accepts, then sends one message. */
async function sendUntilAccepted(host: string, port: number, message: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => socket.end(message, () => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} never accepted`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitUntilFile(path: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The limits runc wrote into a container cgroup (v1 file names, or their v2 equivalents). */
async function cgroupLimits(
  path: string,
): Promise<{ memory: number; quota: number; shares: number }> {
  const read = async (file: string) => (await readFile(file, 'utf8')).trim();
  if (isCgroupV2()) {
    const dir = join('/sys/fs/cgroup', path);
    const weight = Number(await read(join(dir, 'cpu.weight')));
    return {
      memory: Number(await read(join(dir, 'memory.max'))),
      quota: Number((await read(join(dir, 'cpu.max'))).split(' ')[0]),
      // runc maps shares to weight: 1 + ((shares - 2) * 9999) / 262142
      shares: weight === 1 + Math.floor(((512 - 2) * 9999) / 262142) ? 512 : weight,
    };
  }
  return {
    memory: Number(await read(join('/sys/fs/cgroup/memory', path, 'memory.limit_in_bytes'))),
    quota: Number(await read(join('/sys/fs/cgroup/cpu', path, 'cpu.cfs_quota_us'))),
    shares: Number(await read(join('/sys/fs/cgroup/cpu', path, 'cpu.shares'))),
  };
}

/** Retries an Unavailable (listener not up yet) until it succeeds. */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
