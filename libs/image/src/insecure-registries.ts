import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { isLoopbackRegistry } from './reference';

/** A registry's host without its port: `10.1.2.3:5000` -> `10.1.2.3`, `[::1]:5000` -> `::1`. */
function registryHost(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  return registry.split(':')[0]!;
}

/**
 * Whether a registry is reached over plain http: loopback ones always, and those the node's
 * insecure-registry list names — as Docker's `insecure-registries`: an exact `host[:port]`, or
 * a CIDR (`10.0.0.0/8`) matching any registry whose host is an IP address in it, on any port.
 */
export function isInsecureRegistry(registry: string, insecure: readonly string[] = []): boolean {
  if (isLoopbackRegistry(registry) || insecure.includes(registry)) return true;
  const host = registryHost(registry);
  const family = isIPv4(host) ? 'ipv4' : isIPv6(host) ? 'ipv6' : undefined;
  if (!family) return false;
  const ranges = new BlockList();
  for (const entry of insecure) {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    if (!m) continue;
    const net = isIPv4(m[1]!) ? 'ipv4' : isIPv6(m[1]!) ? 'ipv6' : undefined;
    if (net) ranges.addSubnet(m[1]!, Number(m[2]), net);
  }
  return ranges.check(host, family);
}

/**
 * Parses a comma-separated insecure-registry list (`host:port`, `host`, or CIDR entries), as a
 * node agent's config gives it; throws naming the first entry that is none of those.
 */
export function parseInsecureRegistries(raw: string): string[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const e of entries) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(e);
    if (cidr) {
      const v4 = isIPv4(cidr[1]!);
      if ((!v4 && !isIPv6(cidr[1]!)) || Number(cidr[2]) > (v4 ? 32 : 128)) {
        throw new Error(`${JSON.stringify(e)} is not a CIDR (like 10.0.0.0/8)`);
      }
    } else if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(e)) {
      throw new Error(`${JSON.stringify(e)} is not a registry host[:port] or a CIDR`);
    }
  }
  return entries;
}
