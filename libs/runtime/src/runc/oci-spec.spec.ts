import { resolveProcess } from '../resolve-process';
import type { ContainerConfig } from '../types';
import { buildOciSpec } from './oci-spec';

const image = { ref: 'busybox', rootfs: '/r', cmd: ['sh'] };

function spec(config: Partial<ContainerConfig>, netnsPath?: string) {
  const full: ContainerConfig = { name: 'c', image, ...config };
  return buildOciSpec({
    config: full,
    process: resolveProcess(full),
    hostname: 'pod-a',
    netnsPath,
    cgroupsPath: '/bosun/ct1',
    etcFiles: { '/etc/hosts': '/state/sb/hosts' },
    user: { uid: 0, gid: 0 },
  }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('buildOciSpec', () => {
  test('pid, ipc, uts and mount namespaces; the sandbox netns joined by path', () => {
    const s = spec({}, '/var/run/netns/sb1');
    expect(s.linux.namespaces).toEqual([
      { type: 'pid' },
      { type: 'ipc' },
      { type: 'uts' },
      { type: 'mount' },
      { type: 'network', path: '/var/run/netns/sb1' },
    ]);
    expect(s.hostname).toBe('pod-a');
    expect(s.linux.cgroupsPath).toBe('/bosun/ct1');
  });

  test("the sandbox's IPC and UTS namespaces are joined by path, without setting the hostname", () => {
    const full: ContainerConfig = { name: 'c', image };
    const s = buildOciSpec({
      config: full,
      process: resolveProcess(full),
      hostname: 'pod-a',
      ipcPath: '/sb/ns-ipc',
      utsPath: '/sb/ns-uts',
      cgroupsPath: '/bosun/ct1',
      etcFiles: {},
      user: { uid: 0, gid: 0 },
    }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(s.linux.namespaces).toEqual(
      expect.arrayContaining([
        { type: 'ipc', path: '/sb/ns-ipc' },
        { type: 'uts', path: '/sb/ns-uts' },
      ]),
    );
    expect(s.hostname).toBeUndefined();
  });

  test('host network: no network namespace entry', () => {
    expect(spec({}).linux.namespaces.map((n: { type: string }) => n.type)).not.toContain('network');
  });

  test('hardening: default capabilities, no new privileges, masked and read-only paths', () => {
    const s = spec({});
    expect(s.process.noNewPrivileges).toBe(true);
    expect(s.process.capabilities.effective).toHaveLength(14);
    expect(s.process.capabilities.bounding).not.toContain('CAP_SYS_ADMIN');
    expect(s.linux.maskedPaths).toContain('/proc/kcore');
    expect(s.linux.readonlyPaths).toContain('/proc/sys');
  });

  test('resources become cgroup limits (memory without extra swap)', () => {
    const s = spec({
      resources: { cpuShares: 512, cpuQuotaUs: 50_000, memoryLimitBytes: 1 << 26 },
    });
    expect(s.linux.resources.cpu).toEqual({ shares: 512, quota: 50_000, period: 100_000 });
    expect(s.linux.resources.memory).toEqual({ limit: 1 << 26, swap: 1 << 26 });
  });

  test('bind, tmpfs and sandbox /etc files are mounted', () => {
    const s = spec({
      mounts: [
        { containerPath: '/data', hostPath: '/host/data', readOnly: true },
        { containerPath: '/scratch', type: 'tmpfs' },
      ],
    });
    const byDest = Object.fromEntries(
      s.mounts.map((m: { destination: string }) => [m.destination, m]),
    );
    expect(byDest['/data']).toMatchObject({
      type: 'bind',
      source: '/host/data',
      options: expect.arrayContaining(['ro']),
    });
    expect(byDest['/scratch']).toMatchObject({ type: 'tmpfs' });
    expect(byDest['/etc/hosts']).toMatchObject({ type: 'bind', source: '/state/sb/hosts' });
    expect(byDest['/proc']).toMatchObject({ type: 'proc' });
  });
});
