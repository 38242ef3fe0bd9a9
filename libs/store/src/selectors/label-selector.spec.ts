import fc from 'fast-check';
import { BosunError, ErrorCode } from '@bosun/common';
import { LabelOp, matchesLabels, parseLabelSelector } from './label-selector';

describe('label selector parser', () => {
  it('parses the full Kubernetes syntax', () => {
    expect(
      parseLabelSelector('a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m,example.com/n=o'),
    ).toEqual([
      { key: 'a', op: LabelOp.Equals, values: ['b'] },
      { key: 'c', op: LabelOp.Equals, values: ['d'] },
      { key: 'e', op: LabelOp.NotEquals, values: ['f'] },
      { key: 'g', op: LabelOp.In, values: ['h', 'i'] },
      { key: 'j', op: LabelOp.NotIn, values: ['k'] },
      { key: 'l', op: LabelOp.Exists, values: [] },
      { key: 'm', op: LabelOp.DoesNotExist, values: [] },
      { key: 'example.com/n', op: LabelOp.Equals, values: ['o'] },
    ]);
  });

  it('an empty selector selects everything; an empty value is allowed', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', op: LabelOp.Equals, values: [''] }]);
    expect(parseLabelSelector('a in ()')).toEqual([{ key: 'a', op: LabelOp.In, values: [''] }]);
    expect(parseLabelSelector('a notin (x,)')).toEqual([
      { key: 'a', op: LabelOp.NotIn, values: ['x', ''] },
    ]);
  });

  it.each([
    'a in (b',
    'a in (b c)',
    'a=b=c',
    ',',
    'a,',
    '!',
    'a b',
    '-a=b',
    'a=-b',
    `a=${'v'.repeat(64)}`,
    `${'k'.repeat(64)}=v`,
    'Bad_Prefix/a=b',
    'a>1',
  ])('rejects %j with BadRequest', (s) => {
    expect(() => parseLabelSelector(s)).toThrow(BosunError);
    try {
      parseLabelSelector(s);
    } catch (e) {
      expect((e as BosunError).code).toBe(ErrorCode.BadRequest);
    }
  });

  it('matches as Kubernetes does (!= and notin select objects without the key)', () => {
    const l = { app: 'web', tier: 'fe' };
    const m = (s: string, labels: Record<string, string> | undefined = l) =>
      matchesLabels(labels, parseLabelSelector(s));
    expect(m('app=web,tier in (fe,be)')).toBe(true);
    expect(m('app!=db')).toBe(true);
    expect(m('env!=prod')).toBe(true);
    expect(m('env notin (prod)')).toBe(true);
    expect(m('tier notin (fe)')).toBe(false);
    expect(m('!app')).toBe(false);
    expect(m('app', {})).toBe(false);
    expect(m('!app', {})).toBe(true);
  });

  it('fuzz: arbitrary input parses or fails with BadRequest, never another exception', () => {
    const alphabet = fc.constantFrom(...'ab=!(), inotx/.-_ \t9'.split(''));
    const selectorish = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), selectorish, fc.string({ unit: 'grapheme' })), (s) => {
        try {
          const sel = parseLabelSelector(s);
          matchesLabels({ a: 'b' }, sel);
        } catch (e) {
          if (!(e instanceof BosunError) || e.code !== ErrorCode.BadRequest) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
