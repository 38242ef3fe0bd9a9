import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@bosun/testing';
import { restartOnExit, startService, type Supervised } from './supervisor';

describe('restartOnExit', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bosun-supervisor-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const crashing = (): Supervised => {
    const entry = join(dir, 'crash.js');
    writeFileSync(entry, 'process.exit(3);\n');
    return startService({ name: 'crashy', entry, env: {}, healthPort: 0 }, join(dir, 'logs'));
  };

  it('starts a service that exits again, with a doubling back-off, until the cluster stops', async () => {
    let active = true;
    const exits: { why: string; delayMs: number; pid?: number }[] = [];
    const restarts: number[] = [];
    const first = crashing();
    const done = restartOnExit(
      first,
      join(dir, 'logs'),
      {
        active: () => active,
        onExit: (s, why, delayMs) => exits.push({ why, delayMs, pid: s.child.pid }),
        onRestart: (next) => restarts.push(next.child.pid!),
      },
      { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 },
    );
    await waitFor(() => restarts.length >= 4, { timeoutMs: 20_000, what: '4 restarts' });
    active = false;
    await done;
    expect(exits[0]).toEqual({ why: 'exit code 3', delayMs: 10, pid: first.child.pid });
    expect(exits.slice(0, 4).map((e) => e.delayMs)).toEqual([10, 20, 40, 40]);
    expect(new Set([first.child.pid, ...restarts]).size).toBe(restarts.length + 1);
  });

  it('does not restart a service that exits while the cluster is stopping', async () => {
    const restarts: number[] = [];
    await restartOnExit(
      crashing(),
      join(dir, 'logs'),
      {
        active: () => false,
        onExit: () => undefined,
        onRestart: (n) => restarts.push(n.child.pid!),
      },
      { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 },
    );
    expect(restarts).toEqual([]);
  });
});
