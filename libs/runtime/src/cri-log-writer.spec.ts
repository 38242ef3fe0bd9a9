import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriLogWriter, parseCriLogLine, rfc3339Nano } from './cri-log-writer';
import { readCriLog } from './cri-log-reader';

describe('CriLogWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-crilog-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const entries = async (path: string) =>
    (await readFile(path, 'utf8')).trim().split('\n').map(parseCriLogLine);

  test('writes one full (F) entry per line, joining chunks split mid-line', async () => {
    const w = new CriLogWriter(join(dir, 'c.log'));
    w.write('stdout', 'hel');
    w.write('stdout', 'lo\nwor');
    w.write('stderr', 'bad\n');
    w.write('stdout', 'ld\n');
    w.close();
    expect(await entries(join(dir, 'c.log'))).toEqual([
      expect.objectContaining({ stream: 'stdout', partial: false, line: 'hello' }),
      expect.objectContaining({ stream: 'stderr', partial: false, line: 'bad' }),
      expect.objectContaining({ stream: 'stdout', partial: false, line: 'world' }),
    ]);
  });

  test('a full disk drops lines and counts them instead of throwing (/dev/full answers ENOSPC)', () => {
    const w = new CriLogWriter('/dev/full');
    expect(() => {
      w.write('stdout', 'one\ntwo\n');
      w.write('stderr', 'partial');
      w.close();
    }).not.toThrow();
    expect(w.dropped).toBe(3);
    expect((w.lastError as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });

  test('an unterminated last line is written as partial (P) on close', async () => {
    const w = new CriLogWriter(join(dir, 'c.log'));
    w.write('stdout', 'no newline');
    w.close();
    expect(await entries(join(dir, 'c.log'))).toEqual([
      expect.objectContaining({ stream: 'stdout', partial: true, line: 'no newline' }),
    ]);
  });

  test('rotates to <path>.1 when the file would pass maxBytes', async () => {
    const path = join(dir, 'c.log');
    const w = new CriLogWriter(path, 200);
    for (let i = 0; i < 10; i++) w.write('stdout', `line-${i} ${'x'.repeat(30)}\n`);
    w.close();
    const current = await entries(path);
    const rotated = await entries(`${path}.1`);
    expect(current.length).toBeGreaterThan(0);
    expect(rotated.length).toBeGreaterThan(0);
    expect((await readFile(path)).length).toBeLessThanOrEqual(200);
    expect(current.at(-1)?.line).toMatch(/^line-9 /);
  });

  test('appends to an existing file after a restart', async () => {
    const path = join(dir, 'c.log');
    new CriLogWriter(path).close();
    const a = new CriLogWriter(path);
    a.write('stdout', 'one\n');
    a.close();
    const b = new CriLogWriter(path);
    b.write('stdout', 'two\n');
    b.close();
    expect((await entries(path)).map((e) => e?.line)).toEqual(['one', 'two']);
  });

  test('timestamps are RFC 3339 with nanoseconds in UTC', () => {
    expect(rfc3339Nano(new Date('2026-01-02T03:04:05.678Z'), 123456)).toBe(
      '2026-01-02T03:04:05.678123456Z',
    );
    expect(parseCriLogLine('garbage')).toBeUndefined();
  });
});

describe('readCriLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-crilog-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('reads the rotated file first, joins partials, and tails', async () => {
    const path = join(dir, 'c.log');
    const w = new CriLogWriter(path, 150);
    for (let i = 0; i < 6; i++) w.write('stdout', `line-${i} ${'x'.repeat(20)}\n`);
    w.write('stderr', 'half');
    w.flush();
    w.write('stderr', ' and rest\n');
    w.close();
    const all = await readCriLog(path);
    expect(all.at(-1)).toMatchObject({ stream: 'stderr', line: 'half and rest', partial: false });
    const tail = await readCriLog(path, { tailLines: 2 });
    expect(tail.map((e) => e.line)).toEqual([`line-5 ${'x'.repeat(20)}`, 'half and rest']);
    expect(await readCriLog(path, { since: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  test("conmon's +00:00 offset reads as the kubelet's Z form", () => {
    expect(parseCriLogLine('2026-12-04T14:47:57.969276054+00:00 stdout F hello')).toEqual({
      time: '2026-12-04T14:47:57.969276054Z',
      stream: 'stdout',
      partial: false,
      line: 'hello',
    });
    expect(parseCriLogLine('2026-12-04T14:47:57.9Z stderr P x')?.time).toBe(
      '2026-12-04T14:47:57.9Z',
    );
  });
});
