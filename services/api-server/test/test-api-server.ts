import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTestSchema, type TestSchema } from '@bosun/testing';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../src/api-server';

export const KUBECTL = '/usr/bin/kubectl';
export const kubectlAvailable = (): boolean => existsSync(KUBECTL);

export interface TestApiServer extends RunningApiServer {
  readonly home: string;
  /** Runs the real kubectl against this server; resolves with stdout, rejects with stderr. */
  kubectl(args: readonly string[], stdin?: string): Promise<string>;
  /** Starts `kubectl` and leaves it running (for `get -w`); the caller kills it. */
  spawnKubectl(args: readonly string[]): ChildProcess;
  /** fetch() with the admin token and the server's CA trusted. */
  request(
    path: string,
    init?: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: string; headers: Record<string, string> }>;
}

/**
 * An api-server in this process on a free port, with its own Postgres schema and BOSUN_HOME, for
 * any suite that needs the Kubernetes API. `stop()` tears all of it down.
 */
export async function startTestApiServer(
  opts: Partial<ApiServerOptions> = {},
): Promise<TestApiServer> {
  const schema: TestSchema = await createTestSchema('api');
  const home = await mkdtemp(join(tmpdir(), 'bosun-api-'));
  let server: RunningApiServer;
  try {
    server = await startApiServer({
      home,
      port: 0,
      grpcPort: 0,
      store: { url: schema.url, schema: schema.schema },
      log: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      ...opts,
    });
  } catch (e) {
    await schema.drop();
    await rm(home, { recursive: true, force: true });
    throw e;
  }
  const env = { ...process.env, KUBECONFIG: server.kubeconfigPath, HOME: home };
  const { request } = await import('node:https');
  return {
    ...server,
    home,
    kubectl: (args, stdin) =>
      new Promise((resolve, reject) => {
        const child = execFile(
          KUBECTL,
          [...args],
          { env, timeout: 60_000, maxBuffer: 16 << 20 },
          (err, stdout, stderr) => {
            if (err)
              reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`));
            else resolve(stdout);
          },
        );
        if (stdin !== undefined) child.stdin?.end(stdin);
      }),
    spawnKubectl: (args) => spawn(KUBECTL, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    request: (path, init = {}) =>
      new Promise((resolve, reject) => {
        const req = request(
          `${server.url}${path}`,
          {
            method: init.method ?? 'GET',
            ca: server.caCertPem,
            headers: {
              Authorization: `Bearer ${server.token}`,
              ...(init.body !== undefined
                ? { 'Content-Length': String(Buffer.byteLength(init.body)) }
                : {}),
              ...init.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString(),
                headers: res.headers as Record<string, string>,
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(init.body);
      }),
    async stop() {
      await server.stop();
      await schema.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
