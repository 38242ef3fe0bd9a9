import { isBosunError } from '@bosun/common';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches';

describe('patches', () => {
  it('applies RFC 6902 JSON patch operations, and a failed test is an error', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/b/-', value: 3 },
        { op: 'replace', path: '/c', value: 'y' },
        { op: 'move', from: '/c', path: '/d' },
        { op: 'copy', from: '/d', path: '/e' },
        { op: 'remove', path: '/a/b/0' },
        { op: 'test', path: '/e', value: 'y' },
      ]),
    ).toEqual({ a: { b: [2, 3] }, d: 'y', e: 'y' });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'no' }])).toThrow(
      /test operation failed/,
    );
    for (const bad of [
      {},
      [{ op: 'nope', path: '/c' }],
      [{ op: 'remove', path: '/zz' }],
      [{ op: 'add', path: 'no-slash', value: 1 }],
    ]) {
      try {
        applyJsonPatch(doc, bad);
        throw new Error('should fail');
      } catch (e) {
        expect(isBosunError(e)).toBe(true);
      }
    }
  });

  it('applies RFC 7386 merge patch: null deletes, objects merge, lists replace', () => {
    expect(
      applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: null, b: { c: 9 }, l: [3] }),
    ).toEqual({ b: { c: 9, d: 3 }, l: [3] });
  });

  it('merges strategic lists by their merge key and honours $patch directives', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: 'a:1' },
          { name: 'b', image: 'b:1' },
        ],
        finalizers: ['x'],
      },
    };
    const out = applyStrategicMergePatch(pod, {
      $setElementOrder: undefined,
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
        containers: [
          { name: 'b', image: 'b:2' },
          { name: 'c', image: 'c:1' },
          { name: 'a', $patch: 'delete' },
        ],
        finalizers: ['y'],
      },
    });
    expect(out).toEqual({
      spec: {
        containers: [
          { name: 'b', image: 'b:2' },
          { name: 'c', image: 'c:1' },
        ],
        finalizers: ['x', 'y'],
      },
    });
    expect(
      applyStrategicMergePatch({ spec: { a: 1, b: 2 } }, { spec: { $patch: 'replace', c: 3 } }),
    ).toEqual({ spec: { c: 3 } });
    expect(
      applyStrategicMergePatch({ m: { a: 1, b: 2 } }, { m: { $retainKeys: ['b'], b: 5 } }),
    ).toEqual({ m: { b: 5 } });
  });
});
