import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJson } from './container-record';
import { JsonFileCache } from './json-file-cache';

describe('JsonFileCache', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'bosun-json-cache-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('returns the parsed file, the same object while it is unchanged', async () => {
    const cache = new JsonFileCache();
    const path = join(dir, 'a.json');
    await writeJson(path, { n: 1 });
    const first = await cache.json<{ n: number }>(path);
    expect(first).toEqual({ n: 1 });
    expect(await cache.json(path)).toBe(first);
  });

  test('rereads a file rewritten in place by writeJson, and forgets a removed one', async () => {
    const cache = new JsonFileCache();
    const path = join(dir, 'a.json');
    await writeJson(path, { n: 1 });
    await cache.json(path);
    await writeJson(path, { n: 2 });
    expect(await cache.json(path)).toEqual({ n: 2 });
    await rm(path);
    expect(await cache.json(path)).toBeUndefined();
  });

  test('a file that is not JSON reads as undefined', async () => {
    const cache = new JsonFileCache();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'bad.json'), '{not json');
    expect(await cache.json(join(dir, 'bad.json'))).toBeUndefined();
  });
});
