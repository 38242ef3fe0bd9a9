import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { envPrefix } from '@bosun/service-host';

const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/**
 * The env vars a service's own source reads (config schemas `env: 'X'` and `process.env.X`), plus
 * what service-host gives every service (`<PREFIX>_HTTP_PORT`, `<PREFIX>_HTTP_HOST`, LOG_LEVEL).
 * Deployment files are checked against it so they never set a variable nothing reads.
 */
export function configuredEnvVars(service: string): Set<string> {
  const prefix = envPrefix(service);
  const vars = new Set([`${prefix}_HTTP_PORT`, `${prefix}_HTTP_HOST`, 'LOG_LEVEL']);
  for (const file of sources(join(root, 'services', service, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/env: '([A-Z0-9_]+)'/g)) vars.add(m[1]);
    for (const m of text.matchAll(/process\.env\.([A-Z0-9_]+)/g)) vars.add(m[1]);
  }
  return vars;
}
