import type { ResolvedProcess } from '../resolve-process';
import type { ContainerConfig } from '../types';
import { resolveCapabilities } from './capabilities';

/** Paths a container must not read (kernel internals), as containerd masks them. */
const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface OciSpecInput {
  readonly config: ContainerConfig;
  readonly process: ResolvedProcess;
  readonly hostname: string;
  /** Network namespace to join; absent means the host's network. */
  readonly netnsPath?: string;
  /** The sandbox's IPC and UTS namespaces to join; absent means new ones per container. */
  readonly ipcPath?: string;
  readonly utsPath?: string;
  readonly cgroupsPath: string;
  /** Host files bound over /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  readonly etcFiles: Readonly<Record<string, string>>;
  readonly user: { readonly uid: number; readonly gid: number };
}

type OciMount = {
  destination: string;
  type: string;
  source: string;
  options: string[];
};

function baseMounts(): OciMount[] {
  const m = (destination: string, type: string, source: string, options: string[]) => ({
    destination,
    type,
    source,
    options,
  });
  return [
    m('/proc', 'proc', 'proc', ['nosuid', 'noexec', 'nodev']),
    m('/dev', 'tmpfs', 'tmpfs', ['nosuid', 'strictatime', 'mode=755', 'size=65536k']),
    m('/dev/pts', 'devpts', 'devpts', [
      'nosuid',
      'noexec',
      'newinstance',
      'ptmxmode=0666',
      'mode=0620',
    ]),
    m('/dev/shm', 'tmpfs', 'shm', ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']),
    m('/dev/mqueue', 'mqueue', 'mqueue', ['nosuid', 'noexec', 'nodev']),
    m('/sys', 'sysfs', 'sysfs', ['nosuid', 'noexec', 'nodev', 'ro']),
    m('/sys/fs/cgroup', 'cgroup', 'cgroup', ['nosuid', 'noexec', 'nodev', 'relatime', 'ro']),
  ];
}

function userMounts(input: OciSpecInput): OciMount[] {
  const out: OciMount[] = Object.entries(input.etcFiles).map(([destination, source]) => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', 'rw'],
  }));
  for (const mount of input.config.mounts ?? []) {
    const ro = mount.readOnly ? 'ro' : 'rw';
    if (mount.type === 'tmpfs' || !mount.hostPath) {
      out.push({
        destination: mount.containerPath,
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'nodev', 'mode=1777', ro],
      });
    } else {
      out.push({
        destination: mount.containerPath,
        type: 'bind',
        source: mount.hostPath,
        options: ['rbind', 'rprivate', ro],
      });
    }
  }
  return out;
}

function resources(config: ContainerConfig): Record<string, unknown> {
  const r = config.resources ?? {};
  const cpu: Record<string, number> = {};
  if (r.cpuShares !== undefined) cpu.shares = Math.max(2, Math.round(r.cpuShares));
  if (r.cpuQuotaUs !== undefined) {
    cpu.quota = Math.round(r.cpuQuotaUs);
    cpu.period = r.cpuPeriodUs ?? 100_000;
  }
  // swap == limit: no swap on top of the limit, so the limit really OOM-kills.
  const memory =
    r.memoryLimitBytes !== undefined
      ? { limit: r.memoryLimitBytes, swap: r.memoryLimitBytes }
      : undefined;
  return {
    devices: [{ allow: false, access: 'rwm' }],
    ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    ...(memory ? { memory } : {}),
  };
}

/** The OCI runtime spec (config.json) for one container; the rootfs is `<bundle>/rootfs`. */
export function buildOciSpec(input: OciSpecInput): Record<string, unknown> {
  const { config } = input;
  const caps = resolveCapabilities(
    config.capabilities?.add,
    config.capabilities?.drop,
    config.privileged,
  );
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: input.user,
      args: input.process.args,
      env: input.process.env,
      cwd: input.process.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: !config.privileged,
    },
    root: { path: 'rootfs', readonly: false },
    // Joining the sandbox's UTS namespace, the hostname is already set (and may not be set again).
    ...(input.utsPath ? {} : { hostname: input.hostname }),
    mounts: [...baseMounts(), ...userMounts(input)],
    linux: {
      namespaces: [
        { type: 'pid' },
        input.ipcPath ? { type: 'ipc', path: input.ipcPath } : { type: 'ipc' },
        input.utsPath ? { type: 'uts', path: input.utsPath } : { type: 'uts' },
        { type: 'mount' },
        input.netnsPath ? { type: 'network', path: input.netnsPath } : undefined,
      ].filter((n) => n !== undefined),
      cgroupsPath: input.cgroupsPath,
      resources: resources(config),
      maskedPaths: config.privileged ? [] : MASKED_PATHS,
      readonlyPaths: config.privileged ? [] : READONLY_PATHS,
    },
  };
}
