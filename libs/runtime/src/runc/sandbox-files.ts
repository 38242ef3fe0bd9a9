import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files every container of a sandbox sees at /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export async function writeSandboxEtc(
  dir: string,
  hostname: string,
  ip: string | undefined,
): Promise<Record<string, string>> {
  const hosts = join(dir, 'hosts');
  const hostnameFile = join(dir, 'hostname');
  const resolv = join(dir, 'resolv.conf');
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  if (ip) lines.push(`${ip}\t${hostname}`);
  await writeFile(hosts, `${lines.join('\n')}\n`);
  await writeFile(hostnameFile, `${hostname}\n`);
  // Cluster DNS is the agent's to configure; until then containers resolve as the host does.
  await writeFile(resolv, await readFile('/etc/resolv.conf').catch(() => ''));
  return { '/etc/hosts': hosts, '/etc/hostname': hostnameFile, '/etc/resolv.conf': resolv };
}

/** A DNS-label hostname (Kubernetes truncates pod hostnames to 63 characters). */
export function sandboxHostname(name: string, hostname?: string): string {
  return (hostname ?? name).slice(0, 63).replace(/-+$/, '');
}
