#!/usr/bin/env node
// Compiles proto/ with buf + ts-proto into libs/proto/src/generated.
//
//   node libs/proto/generate.mjs           lint proto/, regenerate, replace the committed code
//   node libs/proto/generate.mjs --check   lint proto/, regenerate into a temp dir and exit 1
//                                          when it differs from the committed code (CI guard)
//   --against <dir>                        compare with / write to <dir> instead (tests)
//
// Runs from any working directory; buf and protoc-gen-ts_proto come from the root node_modules.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const againstAt = process.argv.indexOf('--against');
const committed =
  againstAt > 0 ? process.argv[againstAt + 1] : join(root, 'libs/proto/src/generated');
const buf = join(root, 'node_modules/.bin/buf');
const check = process.argv.includes('--check');

function run(args) {
  execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** Paths (relative) that are added, removed or changed between two trees. */
function differences(expected, actual) {
  const a = new Set(listFiles(expected));
  const b = new Set(listFiles(actual));
  const out = [];
  for (const f of new Set([...a, ...b])) {
    if (!a.has(f)) out.push(`  extra (not produced by proto/): ${f}`);
    else if (!b.has(f)) out.push(`  missing: ${f}`);
    else if (!readFileSync(join(expected, f)).equals(readFileSync(join(actual, f)))) {
      out.push(`  differs: ${f}`);
    }
  }
  return out.sort();
}

const out = mkdtempSync(join(tmpdir(), 'bosun-proto-'));
try {
  run(['lint', 'proto']);
  run(['generate', 'proto', '--template', 'libs/proto/buf.gen.yaml', '-o', out]);
  const diff = differences(out, committed);
  if (check) {
    if (diff.length > 0) {
      process.stderr.write(
        `proto:check FAILED: libs/proto/src/generated is out of date with proto/:\n${diff.join('\n')}\n` +
          'Run `npm run proto` and commit the result.\n',
      );
      process.exitCode = 1;
    } else {
      process.stdout.write('proto:check ok: libs/proto/src/generated matches proto/\n');
    }
  } else {
    rmSync(committed, { recursive: true, force: true });
    cpSync(out, committed, { recursive: true });
    process.stdout.write(
      `proto: regenerated ${listFiles(committed).length} files in libs/proto/src/generated\n`,
    );
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
