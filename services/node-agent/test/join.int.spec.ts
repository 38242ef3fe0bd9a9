import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { ErrorCode } from '@bosun/common';
import { waitFor } from '@bosun/testing';
import { resolveConnection, type JoinConfig } from '../src/config/join';
import { startHarness, type AgentHarness } from './agent-harness';

const SECRETS = { group: '', version: 'v1', resource: 'secrets', namespace: 'kube-system' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const BOOTSTRAP = 'joinme.0123456789abcdef';

describe('node join with a bootstrap token (integration: Postgres)', () => {
  jest.setTimeout(60_000);
  let h: AgentHarness;
  let root: string;
  let cfg: JoinConfig;

  beforeAll(async () => {
    h = await startHarness();
    root = await mkdtemp(join(tmpdir(), 'bosun-join-'));
    const caFile = join(root, 'ca.crt');
    await writeFile(caFile, h.api.caCertPem);
    cfg = {
      kubeconfig: '',
      apiServer: h.api.url,
      bootstrapToken: BOOTSTRAP,
      caFile,
      root: join(root, 'agent'),
      nodeName: 'joiner',
    };
    await h.client.create(SECRETS, {
      metadata: { name: 'bootstrap-token-joinme' },
      type: 'bootstrap.kubernetes.io/token',
      stringData: {
        'token-id': 'joinme',
        'token-secret': '0123456789abcdef',
        'usage-bootstrap-authentication': 'true',
        expiration: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('publishes a node token, keeps heartbeating with it after the bootstrap token is deleted, and writes as system:node:<name>', async () => {
    const conn = await resolveConnection(cfg);
    expect(conn.token).toBeDefined();
    expect(conn.token).not.toBe(BOOTSTRAP);
    const saved = join(cfg.root, 'kubeconfig');
    expect((await stat(saved)).mode & 0o777).toBe(0o600);
    expect((await loadKubeconfig(saved)).token).toBe(conn.token);
    expect(await readFile(saved, 'utf8')).not.toContain(BOOTSTRAP);

    const secret = await h.client.get<{
      metadata: { name?: string };
      type?: string;
      data?: Record<string, string>;
    }>(SECRETS, 'node-token-joiner');
    expect(secret.type).toBe('bosun.dev/node-token');
    expect(Buffer.from(secret.data?.token ?? '', 'base64').toString()).toBe(conn.token);

    const client = new ApiClient(conn);
    let agent: Awaited<ReturnType<AgentHarness['startAgent']>> | undefined;
    try {
      agent = await h.startAgent({ nodeName: 'joiner', client, root: cfg.root });
      await h.client.delete(SECRETS, 'bootstrap-token-joinme');
      const deletedAt = await h.api.store.currentRevision();
      await waitFor(
        async () =>
          (await h.client.history(NODES, undefined, 'joiner')).items.some(
            (i) => i.revision > deletedAt,
          ),
        { timeoutMs: 20_000, what: 'a Node heartbeat after the bootstrap token was deleted' },
      );
      const history = await h.client.history(NODES, undefined, 'joiner');
      expect(new Set(history.items.map((i) => i.actor))).toEqual(new Set(['system:node:joiner']));
    } finally {
      // The agent first: closing the client under a running agent left its stop hanging (CI).
      await agent?.stop();
      client.close();
    }

    // A restart with the same settings reuses the saved node token (the bootstrap one is gone).
    const again = await resolveConnection(cfg);
    expect(again.token).toBe(conn.token);
  });

  it('fails clearly when the bootstrap token is not accepted', async () => {
    const err = await resolveConnection({
      ...cfg,
      root: join(root, 'other'),
      nodeName: 'stranger',
      bootstrapToken: 'nosuch.0123456789abcdef',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.Invalid });
    expect((err as Error).message).toContain(
      `as node "stranger" with the bootstrap token failed: Unauthorized`,
    );
  });
});
