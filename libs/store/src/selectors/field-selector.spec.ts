import fc from 'fast-check';
import { BosunError, ErrorCode } from '@bosun/common';
import { matchesFields, parseFieldSelector } from './field-selector';
import { matches } from './matches';
import { parseLabelSelector } from './label-selector';

const ALLOWED = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'];

describe('field selector parser', () => {
  it('parses =, == and != with escapes', () => {
    expect(
      parseFieldSelector('spec.nodeName=n1,status.phase!=Running,metadata.name==a\\,b', ALLOWED),
    ).toEqual([
      { field: 'spec.nodeName', op: '=', value: 'n1' },
      { field: 'status.phase', op: '!=', value: 'Running' },
      { field: 'metadata.name', op: '=', value: 'a,b' },
    ]);
  });

  it('rejects fields that are not indexed with Kubernetes wording', () => {
    expect(() => parseFieldSelector('spec.image=x', ALLOWED)).toThrow(
      'field label not supported: spec.image',
    );
  });

  it('matches with missing fields reading as empty', () => {
    const obj = { metadata: { name: 'a' }, spec: { nodeName: 'n1' } };
    expect(matchesFields(obj, parseFieldSelector('spec.nodeName=n1,status.phase='))).toBe(true);
    expect(matchesFields(obj, parseFieldSelector('spec.nodeName!=n1'))).toBe(false);
    expect(matches(obj, { labels: parseLabelSelector('x'), fields: [] })).toBe(false);
  });

  it('fuzz: arbitrary input parses or fails with BadRequest, never another exception', () => {
    const alphabet = fc.constantFrom(...'ab=!,\\. sptecNod'.split(''));
    const fieldish = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fieldish), fc.boolean(), (s, restrict) => {
        try {
          matchesFields({}, parseFieldSelector(s, restrict ? ALLOWED : undefined));
        } catch (e) {
          if (!(e instanceof BosunError) || e.code !== ErrorCode.BadRequest) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
