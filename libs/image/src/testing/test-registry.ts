import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { freePort } from './free-port';
import { testToolPath } from './test-tools';
import { startTestTokenServer } from './test-token-server';

export interface TestRegistryOptions {
  /** Turns on htpasswd Basic auth with this one user. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Turns on bearer-token auth: a token server (needs openssl) grants this one user. */
  readonly tokenAuth?: { readonly username: string; readonly password: string };
  /**
   * The address to listen on (default 127.0.0.1), e.g. a bridge's host address that network
   * namespaces reach; the port is one free on loopback, so pick an address of this host.
   */
  readonly listen?: string;
}

export interface TestRegistry {
  /** `http://<listen>:<port>` */
  readonly url: string;
  /** `<listen>:<port>`, the registry part of image references. */
  readonly host: string;
  /** Where the registry keeps its data (tests may corrupt blobs under docker/registry/v2/blobs). */
  readonly storageDir: string;
  stop(): Promise<void>;
}

/**
 * Starts a real distribution registry (Debian's docker-registry) on a free port (on loopback
 * unless `listen` says otherwise) with storage in a temp dir, optionally behind htpasswd Basic
 * auth. `stop()` kills it and removes its data.
 */
export async function startTestRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
  const bin = testToolPath('registry');
  if (!bin) throw new Error('docker-registry is not installed (Debian package: docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'bosun-registry-'));
  const port = await freePort();
  const address = options.listen ?? '127.0.0.1';
  const storageDir = join(dir, 'data');
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
    http: { addr: `${address}:${port}`, secret: randomBytes(16).toString('hex') },
  };
  if (options.auth) {
    const htpasswd = join(dir, 'htpasswd');
    await writeFile(htpasswd, `${options.auth.username}:${hashSync(options.auth.password, 4)}\n`);
    config['auth'] = { htpasswd: { realm: 'bosun-test', path: htpasswd } };
  }
  const tokenServer = options.tokenAuth
    ? await startTestTokenServer(dir, options.tokenAuth)
    : undefined;
  if (tokenServer) config['auth'] = { token: tokenServer.registryConfig };
  // JSON is YAML: no YAML writer needed for the registry's config.
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, JSON.stringify(config));
  const proc = spawn(bin, ['serve', configPath], { stdio: 'ignore' });
  let exited = false;
  proc.once('exit', () => (exited = true));
  const url = `http://${address}:${port}`;
  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await gone;
    }
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, () => exited);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, host: `${address}:${port}`, storageDir, stop };
}

async function waitUntilServing(url: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (hasExited()) throw new Error('docker-registry exited during start-up');
    const status = await fetch(`${url}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200 || status === 401) return;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
