/**
 * `npm run dockerfiles`: writes every services/<service>/Dockerfile from the one template in
 * dockerfiles.ts. `-- --check` only reports the ones that differ and exits 1 if any does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dockerfilePath, renderDockerfile, serviceNames } from './dockerfiles';

const root = join(__dirname, '..', '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const service of serviceNames(root)) {
  const path = dockerfilePath(root, service);
  const want = renderDockerfile(root, service);
  let have = '';
  try {
    have = readFileSync(path, 'utf8');
  } catch {
    // a new service: written below, or reported as stale
  }
  if (have === want) continue;
  stale += 1;
  if (check) process.stderr.write(`${relative(root, path)} is stale: run npm run dockerfiles\n`);
  else {
    writeFileSync(path, want);
    process.stdout.write(`wrote ${relative(root, path)}\n`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
