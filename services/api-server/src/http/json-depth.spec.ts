import { ErrorCode } from '@bosun/common';
import { checkJsonTextDepth, checkValueDepth } from './json-depth';

describe('JSON depth limit', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(() => checkJsonTextDepth('{"a":[{"b":"[[[[{{{{\\"[["}]}', 3)).not.toThrow();
    expect(() => checkJsonTextDepth('{"a":[{"b":[]}]}', 3)).toThrow(
      expect.objectContaining({ code: ErrorCode.BadRequest }),
    );
  });

  it('checks a decoded value without recursion, however deep', () => {
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => checkValueDepth(deep, 1000)).toThrow(/nested too deeply: more than 1000 levels/);
    expect(() => checkValueDepth({ a: [{ b: 1 }] }, 3)).not.toThrow();
  });
});
