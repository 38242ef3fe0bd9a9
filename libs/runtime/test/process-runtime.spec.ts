import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@bosun/common';
import { ProcessRuntime } from '../src';
import { behaviourSuite, type BehaviourTarget } from './behaviour-suite';

describe('ProcessRuntime behaviour (host processes)', () => {
  let root: string;
  let target: BehaviourTarget;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bosun-process-rt-'));
    target = {
      runtime: new ProcessRuntime({ root, logger: createLogger('test', 'silent') }),
      image: { ref: 'host', rootfs: '/', env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'] },
    };
  });

  afterAll(async () => {
    await target.runtime.close();
    await rm(root, { recursive: true, force: true });
  });

  test('info says it does not isolate', () => {
    const info = target.runtime.info();
    expect(info).toMatchObject({ name: 'process', isolated: false });
    expect(info.notes.join(' ')).toMatch(/NO isolation/);
  });

  behaviourSuite(() => target, { runsProcesses: true, tty: true });
});
