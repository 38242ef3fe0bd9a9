import { invalid } from '../runtime-errors';

/** The capability set Kubernetes (containerd, CRI-O) gives a container by default. */
export const DEFAULT_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
] as const;

/** Every capability the kernel (5.9+) knows, for `add: [ALL]` and privileged containers. */
export const ALL_CAPABILITIES = [
  ...DEFAULT_CAPABILITIES,
  'DAC_READ_SEARCH',
  'LINUX_IMMUTABLE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'LEASE',
  'AUDIT_CONTROL',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;

const KNOWN = new Set<string>(ALL_CAPABILITIES);

function normalise(name: string): string {
  const n = name.toUpperCase().replace(/^CAP_/, '');
  if (n !== 'ALL' && !KNOWN.has(n))
    throw invalid(`unknown capability ${name}`, { capability: name });
  return n;
}

/** Default set, plus `add`, minus `drop` (Kubernetes applies drop after add; `ALL` works in both). */
export function resolveCapabilities(
  add: readonly string[] = [],
  drop: readonly string[] = [],
  privileged = false,
): string[] {
  if (privileged) return ALL_CAPABILITIES.map((c) => `CAP_${c}`);
  const adds = add.map(normalise);
  const drops = drop.map(normalise);
  const set = new Set<string>(adds.includes('ALL') ? ALL_CAPABILITIES : DEFAULT_CAPABILITIES);
  for (const c of adds) if (c !== 'ALL') set.add(c);
  if (drops.includes('ALL')) {
    set.clear();
    for (const c of adds) if (c !== 'ALL') set.add(c);
  }
  for (const c of drops) set.delete(c);
  return [...set].map((c) => `CAP_${c}`);
}
