import fc from 'fast-check';
import { ErrorCode, isBosunError } from '@bosun/common';
import { formatTokenFile, parseTokenFile, type StaticToken } from './token-file';

describe('static token file (token,user,uid,"groups")', () => {
  it('reads the Kubernetes format, groups quoted or single, blank lines skipped', () => {
    const text = 'abc,alice,1,"g1,g2"\n\n  def,bob,2\nghi,carol,3,ops\n';
    expect(parseTokenFile(text)).toEqual([
      { token: 'abc', user: 'alice', uid: '1', groups: ['g1', 'g2'] },
      { token: 'def', user: 'bob', uid: '2', groups: [] },
      { token: 'ghi', user: 'carol', uid: '3', groups: ['ops'] },
    ]);
  });

  it.each([
    ['abc,alice\n', 1, 'expected 3 or 4 columns'],
    ['abc,alice,1\nx,y,z,g,extra\n', 2, 'expected 3 or 4 columns'],
    ['abc,alice,1\n\n,bob,2\n', 3, 'the token is empty'],
    ['a b,alice,1\n', 1, 'has spaces'],
    ['abc,,1\n', 1, 'the user name is empty'],
    ['abc,alice,\n', 1, 'the user uid is empty'],
    ['abc,alice,1\nabc,bob,2\n', 2, 'the token of line 1 again'],
    ['abc,alice,1\nabc,"bob,2\n', 2, 'Quote Not Closed'],
  ])('refuses %j naming line %d', (text, line, why) => {
    let err: unknown;
    try {
      parseTokenFile(text, '/etc/tokens.csv');
    } catch (e) {
      err = e;
    }
    expect(isBosunError(err, ErrorCode.Invalid)).toBe(true);
    expect((err as Error).message).toContain(`token file /etc/tokens.csv line ${line}: `);
    expect((err as Error).message).toContain(why);
  });

  const field = fc.stringMatching(/^[\x21-\x7e]{1,20}$/).filter((s) => s.trim() === s);
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
  const entry = fc.record({
    token,
    user: field,
    uid: field,
    groups: fc.array(fc.stringMatching(/^[a-z:]{1,12}$/), { maxLength: 3 }),
  });

  it('reads back what it writes (any users, uids and groups, quotes and commas included)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.token, maxLength: 8 }), (tokens) => {
        expect(parseTokenFile(formatTokenFile(tokens))).toEqual(tokens as StaticToken[]);
      }),
    );
  });

  it('never throws anything but a BosunError naming the file, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          const out = parseTokenFile(text, 'f');
          for (const t of out) {
            expect(t.token).toMatch(/^[\x21-\x7e]+$/);
            expect(t.user).not.toBe('');
          }
        } catch (e) {
          expect(isBosunError(e, ErrorCode.Invalid)).toBe(true);
          expect((e as Error).message).toMatch(/^token file f/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
