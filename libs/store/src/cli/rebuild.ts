#!/usr/bin/env node
/**
 * Checks (--check) or rebuilds the projection from the log (I6).
 * Usage: DATABASE_URL=... BOSUN_SCHEMA=bosun node libs/store/dist/cli/rebuild.js [--check]
 * Exit status: 0 when the projection matches (or was rebuilt), 1 on mismatch in check mode, 2 on error.
 */
import { openStore } from '../postgres/open-store';
import { rebuildProjection } from '../postgres/rebuild';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = process.env.BOSUN_SCHEMA ?? 'bosun';
  const check = process.argv.includes('--check');
  const store = await openStore({ url, schema, poolSize: 2 });
  try {
    const r = await rebuildProjection(store, { check });
    for (const d of r.differences) {
      const ns = d.namespace ? `${d.namespace}/` : '';
      process.stdout.write(`${d.problem}\t${d.group || 'core'}/${d.resource}\t${ns}${d.name}\n`);
    }
    const summary = check
      ? `${r.differences.length} difference(s) between the projection and the log`
      : `${r.differences.length} difference(s) found; projection ${r.rebuilt ? 'rebuilt' : 'already matched'}`;
    process.stdout.write(summary + '\n');
    return check && r.differences.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`rebuild failed: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
