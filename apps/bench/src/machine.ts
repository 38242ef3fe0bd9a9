import { cpus, totalmem, release, hostname } from 'node:os';

/** What the figures were measured on; a shared 2-core box is noisy, so always say which. */
export function machineInfo(): Record<string, string | number> {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    host: hostname(),
  };
}
