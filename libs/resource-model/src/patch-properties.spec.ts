import fc from 'fast-check';
import { applyPatchOfType, PatchType } from './apply-patch';
import { isBosunError } from '@bosun/common';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch, createMergePatch } from './merge-patch';
import { applyStrategicMergePatch } from './strategic-merge-patch';

const key = fc
  .string({ minLength: 1, maxLength: 6 })
  .filter((k) => !k.startsWith('$') && k !== '__proto__');
const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean());
/** JSON objects without null (a null in a merge patch means delete, so targets cannot hold one). */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

describe('patch properties', () => {
  it('a merge patch created from a diff reproduces the target', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
      }),
    );
  });

  it('a strategic merge patch without directives on plain maps behaves as a merge patch', () => {
    // Keys outside a schema's properties have no patch strategy, so lists are replaced, as in RFC 7386.
    fc.assert(
      fc.property(json, json, (a, b) => {
        const patch = createMergePatch(a, b);
        expect(
          applyStrategicMergePatch(
            { unknownRoot: a },
            { unknownRoot: patch },
            'io.k8s.api.core.v1.ConfigMap',
          ),
        ).toEqual(applyMergePatch({ unknownRoot: a }, { unknownRoot: patch }));
      }),
    );
  });

  it('merging containers by name is idempotent', () => {
    const container = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      image: fc.string({ maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(container, { maxLength: 3 }),
        fc.array(container, { maxLength: 3 }),
        (orig, patch) => {
          const base = { spec: { containers: orig } };
          const p = { spec: { containers: patch } };
          const once = applyStrategicMergePatch(base, p, 'io.k8s.api.core.v1.Pod');
          expect(applyStrategicMergePatch(once, p, 'io.k8s.api.core.v1.Pod')).toEqual(once);
        },
      ),
    );
  });
});

describe('keys named like Object.prototype members', () => {
  it('diffs and merges them as ordinary keys', () => {
    const from = { labels: { toString: 'a', constructor: 'b' } };
    const to = { labels: { valueOf: 'c' } };
    const patch = createMergePatch(from, to);
    expect(patch).toEqual({ labels: { toString: null, constructor: null, valueOf: 'c' } });
    expect(applyMergePatch(from, patch)).toEqual(to);
  });
});

describe('JSON patch and patch types', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };

  it('applies RFC 6902 operations without touching the input', () => {
    const out = applyJsonPatch(cm, [
      { op: 'add', path: '/data/b', value: '2' },
      { op: 'replace', path: '/data/a', value: '0' },
      { op: 'test', path: '/metadata/name', value: 'c' },
    ]);
    expect(out.data).toEqual({ a: '0', b: '2' });
    expect(cm.data).toEqual({ a: '1' });
  });

  it('answers BadRequest for a malformed patch and Invalid for one that cannot apply', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isBosunError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(codeOf(() => applyJsonPatch(cm, { op: 'add' }))).toBe('BadRequest');
    expect(codeOf(() => applyJsonPatch(cm, [{ op: 'jump', path: '/x' }]))).toBe('BadRequest');
    expect(codeOf(() => applyJsonPatch(cm, [{ op: 'test', path: '/data/a', value: 'nope' }]))).toBe(
      'Invalid',
    );
    expect(codeOf(() => applyJsonPatch(cm, [{ op: 'remove', path: '/missing/deep' }]))).toBe(
      'Invalid',
    );
    expect(codeOf(() => applyPatchOfType(PatchType.Merge, cm, [1]))).toBe('BadRequest');
    expect(codeOf(() => applyPatchOfType('application/xml', cm, {}))).toBe('UnsupportedMediaType');
    expect(codeOf(() => applyPatchOfType(PatchType.Strategic, cm, {}))).toBe(
      'UnsupportedMediaType',
    );
  });

  it('dispatches on the content type', () => {
    expect(applyPatchOfType(PatchType.Merge, cm, { data: { a: null } })).toMatchObject({
      data: {},
    });
    expect(
      applyPatchOfType(
        `${PatchType.Strategic}; charset=utf-8`,
        cm,
        { data: { z: '9' } },
        'io.k8s.api.core.v1.ConfigMap',
      ),
    ).toMatchObject({
      data: { a: '1', z: '9' },
    });
  });
});
