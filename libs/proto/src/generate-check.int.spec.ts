import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', 'generate.mjs');
const committed = join(__dirname, 'generated');

/** Runs `generate.mjs --check` against a private copy of the committed code (buf runs for real). */
function checkAgainst(mutate: (dir: string) => void): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-proto-check-'));
  try {
    cpSync(committed, dir, { recursive: true });
    mutate(dir);
    const r = spawnSync(process.execPath, [script, '--check', '--against', dir], {
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('npm run proto:check (integration: runs buf + ts-proto)', () => {
  it('passes when the committed code matches proto/', () => {
    expect(checkAgainst(() => undefined)).toMatchObject({ status: 0 });
  });

  it('fails naming the file when generated code was edited by hand', () => {
    const r = checkAgainst((dir) =>
      appendFileSync(join(dir, 'bosun/v1/resource.ts'), '// edited\n'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('differs: bosun/v1/resource.ts');
    expect(r.stderr).toContain('npm run proto');
  });

  it('fails when a generated file is missing', () => {
    const r = checkAgainst((dir) => unlinkSync(join(dir, 'bosun/v1/internal.ts')));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('missing: bosun/v1/internal.ts');
  });
});
