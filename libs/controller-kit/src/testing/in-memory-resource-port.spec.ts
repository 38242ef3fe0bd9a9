import { isBosunError } from '@bosun/common';
import type { KubeObject, WatchEvent } from '../types';
import { InMemoryResourcePort } from './in-memory-resource-port';

const obj = (name: string): KubeObject => ({ metadata: { name, namespace: 'ns' } });

describe('InMemoryResourcePort', () => {
  it('gives every write the next revision and a uid, and records it', () => {
    const port = new InMemoryResourcePort([obj('a')]);
    const b = port.create(obj('b'));
    expect(b.metadata.resourceVersion).toBe('2');
    expect(b.metadata.uid).toBeDefined();
    expect(port.writes.map((w) => `${w.verb} ${w.object.metadata.name}`)).toEqual([
      'create a',
      'create b',
    ]);
  });

  it('enforces resourceVersion preconditions and existence', () => {
    const port = new InMemoryResourcePort([obj('a')]);
    const a = port.get('ns', 'a')!;
    port.update(a);
    expect(() => port.update(a)).toThrow(expect.objectContaining({ code: 'Conflict' }));
    expect(() => port.create(obj('a'))).toThrow(expect.objectContaining({ code: 'AlreadyExists' }));
    expect(() => port.delete('ns', 'zz')).toThrow(expect.objectContaining({ code: 'NotFound' }));
  });

  it('replays events after a revision, then follows live ones', () => {
    const port = new InMemoryResourcePort([obj('a'), obj('b')]);
    const seen: string[] = [];
    const stop = port.watch(
      1,
      (e: WatchEvent<KubeObject>) => seen.push(`${e.type} ${e.revision}`),
      () => undefined,
    );
    port.delete('ns', 'a');
    stop();
    port.create(obj('c'));
    expect(seen).toEqual(['ADDED 2', 'DELETED 3']);
  });

  it('answers Gone for a compacted revision', () => {
    const port = new InMemoryResourcePort([obj('a'), obj('b')]);
    port.compact(2);
    let error: unknown;
    port.watch(
      1,
      () => undefined,
      (e) => (error = e),
    );
    expect(isBosunError(error, 'Gone')).toBe(true);
  });

  it('hands out copies, never its own objects', () => {
    const port = new InMemoryResourcePort([obj('a')]);
    port.get('ns', 'a')!.metadata.name = 'changed';
    expect(port.get('ns', 'a')!.metadata.name).toBe('a');
  });
});
