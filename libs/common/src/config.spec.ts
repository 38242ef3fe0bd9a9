import { isBosunError } from './errors';
import { loadConfig, parsers } from './config';

const schema = {
  port: { env: 'X_PORT', default: 8080, parse: parsers.int, describe: 'the port' },
  mode: {
    env: 'X_MODE',
    default: 'a' as 'a' | 'b',
    parse: parsers.oneOf('a', 'b'),
    describe: 'mode',
  },
  url: { env: 'X_URL', parse: parsers.url, describe: 'where' },
  on: { env: 'X_ON', default: false, parse: parsers.bool, describe: 'switch' },
};

describe('loadConfig', () => {
  it('applies defaults and parses what is set', () => {
    expect(loadConfig(schema, { X_URL: 'http://h', X_PORT: '9', X_ON: 'yes' })).toEqual({
      port: 9,
      mode: 'a',
      url: 'http://h',
      on: true,
    });
  });

  it('names the variable, the value and what was expected when a value is wrong', () => {
    try {
      loadConfig(schema, { X_URL: 'http://h', X_PORT: 'eighty' });
      throw new Error('not reached');
    } catch (e) {
      expect(isBosunError(e, 'Invalid')).toBe(true);
      expect((e as Error).message).toBe(
        'X_PORT="eighty" is not valid: expected an integer (the port)',
      );
    }
    expect(() => loadConfig(schema, { X_URL: 'http://h', X_MODE: 'c' })).toThrow(
      /X_MODE="c" is not valid: expected one of a, b/,
    );
  });

  it('refuses to start without a required value', () => {
    expect(() => loadConfig(schema, {})).toThrow('X_URL is required: where');
  });
});
