import { createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { freePort } from '@bosun/testing';
import pino from 'pino';
import { NodeAgent, NodeAgentStartError } from '../src/node-agent';
import { startHarness, type AgentHarness } from './agent-harness';

const NODES = { group: '', version: 'v1', resource: 'nodes' };

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe('NodeAgent.start stops what it started when a step fails (integration: Postgres)', () => {
  jest.setTimeout(60_000);
  let h: AgentHarness;
  let root: string;

  beforeAll(async () => {
    h = await startHarness();
    root = await mkdtemp(join(tmpdir(), 'bosun-agent-start-'));
  });
  afterAll(async () => {
    await h?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const start = (nodeName: string, client: ApiClient, port: number) =>
    NodeAgent.start({
      nodeName,
      client,
      logger: pino({ level: 'silent' }),
      root: join(root, nodeName),
      runtimeName: 'process',
      serve: { token: 'token', port, host: '127.0.0.1' },
      facts: { internalIP: '127.0.0.1' },
    });

  it('rejects naming the taken gRPC port, and registers no Node', async () => {
    const port = await freePort();
    const squatter = await listen(port);
    try {
      const err = await start('taken-port', h.client, port).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeAgentStartError);
      expect((err as Error).message).toContain(
        `node agent taken-port: cannot serve NodeAgentService on 127.0.0.1:${port}`,
      );
      const node = await h.client.get(NODES, 'taken-port').catch((e: unknown) => e);
      expect(isBosunError(node, ErrorCode.NotFound)).toBe(true);
    } finally {
      await close(squatter);
    }
  });

  it('rejects when the api-server is unreachable after the gRPC server started, and frees its port', async () => {
    const conn = await loadKubeconfig(h.api.kubeconfigPath);
    const nowhere = new ApiClient({ ...conn, server: `https://127.0.0.1:${await freePort()}` });
    const port = await freePort();
    try {
      const err = await start('no-api', nowhere, port).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeAgentStartError);
      expect((err as Error).message).toMatch(
        /^node agent no-api: cannot register the Node with the api-server: cannot reach https:\/\/127\.0\.0\.1:\d+/,
      );
      // The gRPC server it had started is gone: the port can be bound again.
      await close(await listen(port));
    } finally {
      nowhere.close();
    }
  });
});
