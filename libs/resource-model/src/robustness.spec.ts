import { isBosunError } from '@bosun/common';
import fc from 'fast-check';
import { applyPatchOfType, PatchType } from './apply-patch';
import { defaultRegistry } from './registry';
import { toTable } from './table';
import { prepareForCreate, prepareForUpdate } from './update-strategy';
import { validateCreate, validateUpdate } from './validate';
import { applyDefaults } from './workload-defaults';

/** Bad input must answer a 4xx BosunError, never crash into a 500. */
const onlyClientErrors = (f: () => unknown): void => {
  try {
    f();
  } catch (e) {
    if (!isBosunError(e) || e.httpStatus >= 500) throw e;
  }
};

const kinds = defaultRegistry.kinds();
const kindArb = fc.constantFrom(...kinds);
const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Objects shaped like the kind, with random values in the usual places. */
const shaped = (k: (typeof kinds)[number]) =>
  fc.record(
    {
      apiVersion: fc.constant(k.apiVersion),
      kind: fc.constant(k.kind),
      metadata: fc.oneof(
        anyJson,
        fc.record(
          { name: fc.oneof(fc.string(), anyJson), labels: anyJson, annotations: anyJson },
          { requiredKeys: [] },
        ),
      ),
      spec: fc.oneof(
        anyJson,
        fc.record({
          template: fc.record({ spec: fc.record({ containers: anyJson }) }),
          selector: anyJson,
          replicas: anyJson,
          ports: anyJson,
        }),
      ),
      status: anyJson,
      data: anyJson,
    },
    { requiredKeys: ['apiVersion', 'kind'] },
  );

describe('robustness: arbitrary input yields objects or 4xx errors, never a 500', () => {
  it('defaulting, validation and tables', () => {
    fc.assert(
      fc.property(
        kindArb.chain((k) => fc.tuple(fc.constant(k), shaped(k), shaped(k))),
        ([k, a, b]) => {
          onlyClientErrors(() =>
            validateCreate(k, applyDefaults(prepareForCreate(k, structuredClone(a)))),
          );
          onlyClientErrors(() =>
            validateUpdate(k, applyDefaults(prepareForUpdate(k, structuredClone(b), a)), a, {
              fieldValidation: 'Strict',
            }),
          );
          onlyClientErrors(() => toTable(k, [a, b], { includeObject: 'Object' }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('patches of every type', () => {
    const types = fc.constantFrom(PatchType.Json, PatchType.Merge, PatchType.Strategic);
    fc.assert(
      fc.property(
        kindArb.chain((k) => fc.tuple(fc.constant(k), shaped(k))),
        types,
        anyJson,
        ([k, obj], type, patch) => {
          onlyClientErrors(() => applyPatchOfType(type, obj, patch, k.schema, k.kind));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('JSON patch operations with odd paths and values', () => {
    const path = fc.oneof(
      fc.constantFrom(
        '',
        '/',
        '/metadata',
        '/metadata/labels/a',
        '/spec/x/0',
        '/-',
        '/spec/containers/-',
      ),
      fc.string(),
      fc.jsonValue(),
    );
    const op = fc.record(
      {
        op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
        path,
        from: path,
        value: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['op'] },
    );
    const k = defaultRegistry.byResource('', 'v1', 'pods')!;
    fc.assert(
      fc.property(shaped(k), fc.array(op, { maxLength: 4 }), (obj, ops) => {
        onlyClientErrors(() => applyPatchOfType(PatchType.Json, obj, ops, k.schema, k.kind));
      }),
      { numRuns: 300 },
    );
  });

  it('regression: a name whose toString is not a function', () => {
    const k = defaultRegistry.byResource('', 'v1', 'serviceaccounts')!;
    const weird = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: { toString: 0 } } };
    expect(toTable(k, [weird]).rows[0]?.cells[0]).toBe('{"toString":0}');
    onlyClientErrors(() => validateCreate(k, weird));
  });
});
