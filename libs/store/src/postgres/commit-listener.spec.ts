import { listenClientConfig } from './commit-listener';

describe('the LISTEN connection', () => {
  it('turns TCP keepalive on, so a half-open connection is noticed and reopened', () => {
    const config = listenClientConfig('postgres://db/x', 'bosun');
    expect(config.keepAlive).toBe(true);
    expect(config.keepAliveInitialDelayMillis).toBeGreaterThan(0);
    expect(config.options).toBe('-c search_path=bosun');
  });
});
