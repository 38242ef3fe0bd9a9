import fc from 'fast-check';
import { BosunError, ErrorCode } from '@bosun/common';
import { decodeContinue, encodeContinue } from './continue-token';

describe('continue token', () => {
  it('round-trips a position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 50 }),
        fc.string(),
        fc.string({ minLength: 1 }),
        (rev, ns, name) => {
          expect(decodeContinue(encodeContinue({ rev, ns, name }))).toEqual({ rev, ns, name });
        },
      ),
    );
  });

  it('fuzz: arbitrary strings decode or fail with BadRequest, never another exception', () => {
    const b64ofJson = fc.json().map((j) => Buffer.from(j).toString('base64url'));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), b64ofJson), (s) => {
        try {
          decodeContinue(s);
        } catch (e) {
          if (!(e instanceof BosunError) || e.code !== ErrorCode.BadRequest) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
