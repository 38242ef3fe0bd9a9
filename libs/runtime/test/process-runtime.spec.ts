import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
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

  test('portForward connects to the port on the host', async () => {
    const server = createServer((s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sb = await target.runtime.runPodSandbox({ name: 'pf', namespace: 'd', uid: 'pf' });
    const socket = await target.runtime.portForward(sb.id, port);
    const chunks: Buffer[] = [];
    for await (const c of socket) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello');
    server.close();
    await target.runtime.removePodSandbox(sb.id);
  });

  behaviourSuite(() => target, { runsProcesses: true, tty: true });
});
