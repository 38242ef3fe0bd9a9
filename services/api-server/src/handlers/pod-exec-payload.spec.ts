import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import WebSocket from 'ws';
import type { ExecRequest, ExecResponse } from '@bosun/proto';
import { bridgeExec } from '../node-proxy/exec-bridge';
import { EXEC_MAX_PAYLOAD, execWebSocketServer } from './pod-exec';

/** A node agent Exec stream that records what the bridge sends it. */
class FakeExecCall extends EventEmitter {
  readonly written: ExecRequest[] = [];
  cancelled = false;
  write(m: ExecRequest): boolean {
    this.written.push(m);
    return true;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

describe('exec WebSocket message limit', () => {
  let server: Server;
  let url: string;
  const call = new FakeExecCall();
  let sessionOver!: () => void;
  const over = new Promise<void>((resolve) => (sessionOver = resolve));
  const wss = execWebSocketServer();

  beforeAll(async () => {
    server = createServer();
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) =>
        bridgeExec(ws, call as unknown as ClientDuplexStream<ExecRequest, ExecResponse>, {
          start: {
            namespace: 'ns',
            pod: 'p',
            container: 'c',
            command: ['sh'],
            tty: false,
            stdin: true,
          },
          stdout: true,
          stderr: true,
          done: () => sessionOver(),
        }),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const session = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['v5.channel.k8s.io']);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  it('passes a stdin chunk on, and closes the session with 1009 on an oversized frame, without crashing', async () => {
    const ws = await session();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.alloc(32 * 1024, 1)]));
    ws.send(Buffer.alloc(EXEC_MAX_PAYLOAD + 1));
    expect(await closed).toBe(1009);
    const stdin = call.written.filter((m) => m.stdin);
    expect(stdin.map((m) => m.stdin?.length)).toEqual([32 * 1024]);
    await over; // the server side ends the node agent's stream too
    expect(call.cancelled).toBe(true);
  });
});
