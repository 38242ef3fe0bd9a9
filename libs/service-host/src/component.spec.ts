import { runComponents, type Component } from './component';

function recorder(log: string[], name: string, failStart = false): Component {
  return {
    name,
    start: async () => {
      log.push(`start ${name}`);
      if (failStart) throw new Error(`${name} cannot start`);
    },
    ready: async () => void log.push(`ready ${name}`),
    stop: async () => void log.push(`stop ${name}`),
  };
}

describe('runComponents', () => {
  it('starts each component only after the previous one is ready, and stops them in reverse', async () => {
    const log: string[] = [];
    const stop = await runComponents([recorder(log, 'api'), recorder(log, 'scheduler')]);
    expect(log).toEqual(['start api', 'ready api', 'start scheduler', 'ready scheduler']);
    await stop();
    expect(log.slice(4)).toEqual(['stop scheduler', 'stop api']);
  });

  it('stops what it started when a later component fails, and rethrows', async () => {
    const log: string[] = [];
    await expect(runComponents([recorder(log, 'api'), recorder(log, 'bad', true)])).rejects.toThrow(
      'bad cannot start',
    );
    expect(log).toEqual(['start api', 'ready api', 'start bad', 'stop bad', 'stop api']);
  });
});
