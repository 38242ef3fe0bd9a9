import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { ApiClient, loadKubeconfig, type KubeObject } from '@bosun/api-client';
import { ErrorCode } from '@bosun/common';
import { waitFor } from '@bosun/testing';
import { startApiServer } from '../src/api-server';
import { parseTokenFile } from '../src/auth/token-file';
import { startTestApiServer, type TestApiServer } from './test-api-server';

const SECRETS = { group: '', version: 'v1', resource: 'secrets', namespace: 'kube-system' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const silent = pino({ level: 'silent' });

describe('component identities, bootstrap tokens and node tokens (needs Postgres)', () => {
  let api: TestApiServer;
  let admin: ApiClient;

  beforeAll(async () => {
    api = await startTestApiServer();
    admin = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
  });
  afterAll(async () => {
    admin?.close();
    await api?.stop();
  });

  const as = (token: string) =>
    new ApiClient({ server: api.url, caPem: api.caCertPem, token, namespace: 'default' });
  const status = async (token: string, path: string, method = 'GET', body?: unknown) =>
    (
      await api.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).status;

  describe('component identities', () => {
    it('keeps tokens.csv (0600) with one token per component and a kubeconfig for each', async () => {
      const file = join(api.home, 'tokens.csv');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const tokens = parseTokenFile(await readFile(file, 'utf8'));
      expect(tokens.map((t) => t.user).sort()).toEqual([
        'system:cloud-controller-manager',
        'system:kube-controller-manager',
        'system:kube-scheduler',
      ]);
      for (const [user, name] of [
        ['system:kube-scheduler', 'scheduler.kubeconfig'],
        ['system:kube-controller-manager', 'controller-manager.kubeconfig'],
        ['system:cloud-controller-manager', 'cloud-controller-manager.kubeconfig'],
      ]) {
        const path = join(api.home, name);
        expect(api.componentKubeconfigs[user]).toBe(path);
        expect((await stat(path)).mode & 0o777).toBe(0o600);
        const conn = await loadKubeconfig(path);
        expect(conn).toMatchObject({ server: api.url, caPem: api.caCertPem });
        expect(conn.token).toBe(tokens.find((t) => t.user === user)?.token);
        const client = new ApiClient(conn);
        try {
          await client.create(
            { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' },
            { metadata: { name: `by-${name.split('.')[0]}` } },
          );
        } finally {
          client.close();
        }
        const h = await admin.history(
          { group: '', version: 'v1', resource: 'configmaps' },
          'default',
          `by-${name.split('.')[0]}`,
        );
        expect(h.items.map((i) => i.actor)).toEqual([user]);
      }
    });

    it('keeps the tokens (and an operator line) across a restart', async () => {
      const file = join(api.home, 'tokens.csv');
      const before = await readFile(file, 'utf8');
      await writeFile(file, `${before}opertoken0123456789,ops,ops-uid,"team:ops"\n`);
      const again = await startApiServer({
        home: api.home,
        port: 0,
        grpcPort: 0,
        store: api.store,
        log: silent,
      });
      try {
        // Nothing was missing, so the file is left exactly as it was.
        expect(await readFile(file, 'utf8')).toBe(
          `${before}opertoken0123456789,ops,ops-uid,"team:ops"\n`,
        );
        // Authenticated (403, not 401): the operator's user has no rights yet.
        const ops = new ApiClient({
          server: again.url,
          caPem: again.caCertPem,
          token: 'opertoken0123456789',
          namespace: 'default',
        });
        try {
          await expect(
            ops.list({ group: '', version: 'v1', resource: 'pods', namespace: 'default' }),
          ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
        } finally {
          ops.close();
        }
      } finally {
        await again.stop();
      }
    });

    it('reads an operator-managed API_SERVER_TOKEN_AUTH_FILE, and a bad line stops start-up naming it', async () => {
      const file = join(api.home, 'operator-tokens.csv');
      await writeFile(file, 'schedtoken0123456789,system:kube-scheduler,s1\nbroken-line\n');
      await expect(
        startApiServer({
          home: api.home,
          port: 0,
          grpcPort: 0,
          store: api.store,
          log: silent,
          tokenAuthFile: file,
        }),
      ).rejects.toThrow(`token file ${file} line 2: expected 3 or 4 columns`);
      await writeFile(file, 'schedtoken0123456789,system:kube-scheduler,s1\n');
      const again = await startApiServer({
        home: api.home,
        port: 0,
        grpcPort: 0,
        store: api.store,
        log: silent,
        tokenAuthFile: file,
      });
      try {
        expect(Object.keys(again.componentKubeconfigs)).toEqual(['system:kube-scheduler']);
        const conn = await loadKubeconfig(again.componentKubeconfigs['system:kube-scheduler']);
        expect(conn.token).toBe('schedtoken0123456789');
      } finally {
        await again.stop();
      }
    });
  });

  describe('bootstrap tokens', () => {
    const bootstrapSecret = (id: string, data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      stringData: { 'token-id': id, 'usage-bootstrap-authentication': 'true', ...data },
    });
    const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

    it('accepts <id>.<secret> as system:bootstrap:<id>, which may only publish a node token', async () => {
      await admin.create(
        SECRETS,
        bootstrapSecret('aaaaaa', { 'token-secret': '0123456789abcdef', expiration: inAnHour() }),
      );
      const token = 'aaaaaa.0123456789abcdef';
      expect(await status(token, '/api')).toBe(200);
      expect(await status(token, '/api/v1/namespaces/default/pods')).toBe(403);
      // Someone else's Secret, or a node token naming another node: refused by admission.
      const other = { metadata: { name: 'sneaky' }, type: 'Opaque', data: {} };
      expect(await status(token, '/api/v1/namespaces/kube-system/secrets', 'POST', other)).toBe(
        403,
      );
      const mismatch = {
        metadata: { name: 'node-token-n1' },
        type: 'bosun.dev/node-token',
        stringData: { 'node-name': 'n2', token: 'y'.repeat(43) },
      };
      expect(await status(token, '/api/v1/namespaces/kube-system/secrets', 'POST', mismatch)).toBe(
        403,
      );
    });

    it('refuses a wrong secret, a missing usage, an expired or a deleted token', async () => {
      await admin.create(
        SECRETS,
        bootstrapSecret('bbbbbb', { 'token-secret': 'bbbbbbbbbbbbbbbb' }),
      );
      expect(await status('bbbbbb.bbbbbbbbbbbbbbbb', '/api')).toBe(200);
      expect(await status('bbbbbb.bbbbbbbbbbbbbbbc', '/api')).toBe(401);
      expect(await status('bbbbbc.bbbbbbbbbbbbbbbb', '/api')).toBe(401);

      const noUsage = bootstrapSecret('cccccc', { 'token-secret': 'cccccccccccccccc' });
      noUsage.stringData['usage-bootstrap-authentication'] = 'false';
      await admin.create(SECRETS, noUsage);
      expect(await status('cccccc.cccccccccccccccc', '/api')).toBe(401);

      await admin.create(
        SECRETS,
        bootstrapSecret('dddddd', {
          'token-secret': 'dddddddddddddddd',
          expiration: '2020-01-01T00:00:00Z',
        }),
      );
      expect(await status('dddddd.dddddddddddddddd', '/api')).toBe(401);

      // Expiry is checked at each request: an expiration moved into the past ends the token.
      await admin.patch(SECRETS, 'bootstrap-token-bbbbbb', {
        stringData: { expiration: '2020-01-01T00:00:00Z' },
      });
      await waitFor(async () => (await status('bbbbbb.bbbbbbbbbbbbbbbb', '/api')) === 401, {
        timeoutMs: 10_000,
        what: 'the expired token to be refused',
      });

      await admin.create(
        SECRETS,
        bootstrapSecret('eeeeee', { 'token-secret': 'eeeeeeeeeeeeeeee' }),
      );
      expect(await status('eeeeee.eeeeeeeeeeeeeeee', '/api')).toBe(200);
      await admin.delete(SECRETS, 'bootstrap-token-eeeeee');
      await waitFor(async () => (await status('eeeeee.eeeeeeeeeeeeeeee', '/api')) === 401, {
        timeoutMs: 10_000,
        what: 'the deleted token to be refused',
      });
    });
  });

  describe('node tokens', () => {
    it('a node token published with a bootstrap token authenticates as system:node:<name> until its Secret goes', async () => {
      await admin.create(SECRETS, {
        metadata: { name: 'bootstrap-token-ffffff' },
        type: 'bootstrap.kubernetes.io/token',
        stringData: {
          'token-id': 'ffffff',
          'token-secret': 'ffffffffffffffff',
          'usage-bootstrap-authentication': 'true',
        },
      });
      const bootstrap = as('ffffff.ffffffffffffffff');
      const nodeToken = 'n'.repeat(20) + 'x'.repeat(23);
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'node-token-worker-1', namespace: 'kube-system' },
        type: 'bosun.dev/node-token',
        stringData: { 'node-name': 'worker-1', token: nodeToken },
      };
      try {
        await bootstrap.create(SECRETS, secret);
        // Never again: replacing a node's token would take over its identity.
        await expect(bootstrap.create(SECRETS, secret)).rejects.toMatchObject({
          code: ErrorCode.AlreadyExists,
        });
        await expect(bootstrap.update(SECRETS, secret)).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
      } finally {
        bootstrap.close();
      }
      // Used at once, before any watch delay: a miss catches up with the log first.
      const node = as(nodeToken);
      try {
        await node.create(NODES, { metadata: { name: 'worker-1' } });
        await node.patch(NODES, 'worker-1', { metadata: { labels: { a: 'b' } } });
        await expect(node.list({ ...SECRETS })).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
      } finally {
        node.close();
      }
      // The node's token is still its own (the refused update changed nothing).
      const stored = await admin.get<{ data?: Record<string, string> } & KubeObject>(
        SECRETS,
        'node-token-worker-1',
      );
      expect(Buffer.from(stored.data?.token ?? '', 'base64').toString()).toBe(nodeToken);
      const h = await admin.history(NODES, undefined, 'worker-1');
      expect(h.items.map((i) => i.actor)).toEqual(['system:node:worker-1', 'system:node:worker-1']);

      await admin.delete(SECRETS, 'node-token-worker-1');
      await waitFor(async () => (await status(nodeToken, '/api/v1/nodes/worker-1')) === 401, {
        timeoutMs: 10_000,
        what: 'the revoked node token to be refused',
      });
    });

    it('a node cannot read Secrets in bulk, take over another node, or re-register with a bootstrap token', async () => {
      await admin.create(SECRETS, {
        metadata: { name: 'bootstrap-token-gggggg' },
        type: 'bootstrap.kubernetes.io/token',
        stringData: {
          'token-id': 'gggggg',
          'token-secret': 'gggggggggggggggg',
          'usage-bootstrap-authentication': 'true',
        },
      });
      const tokens = { a: 'a'.repeat(43), b: 'b'.repeat(43) };
      for (const [n, token] of Object.entries(tokens))
        await admin.create(SECRETS, {
          metadata: { name: `node-token-node-${n}` },
          type: 'bosun.dev/node-token',
          stringData: { 'node-name': `node-${n}`, token },
        });
      await admin.create(
        { ...SECRETS, namespace: 'default' },
        {
          metadata: { name: 'tenant-secret' },
          stringData: { password: 'hunter2' },
        },
      );
      const nodeA = as(tokens.a);
      const bootstrap = as('gggggg.gggggggggggggggg');
      try {
        await nodeA.create(NODES, { metadata: { name: 'node-a' } });
        await admin.create(NODES, { metadata: { name: 'node-b' } });
        const allSecrets = { group: '', version: 'v1', resource: 'secrets' };
        // Across all namespaces (namespace ''), in one, or watched: each would hand out every token.
        for (const path of [
          '/api/v1/secrets',
          '/api/v1/secrets?watch=true',
          '/api/v1/namespaces/default/secrets',
          '/api/v1/namespaces/kube-system/secrets/node-token-node-b',
          '/api/v1/namespaces/kube-system/secrets/bootstrap-token-gggggg',
        ])
          expect([path, await status(tokens.a, path)]).toEqual([path, 403]);
        await expect(nodeA.list(allSecrets)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
        // One Secret by name outside kube-system stays readable (a pod's volume or env).
        expect(
          (await nodeA.get({ ...SECRETS, namespace: 'default' }, 'tenant-secret')).metadata.name,
        ).toBe('tenant-secret');
        // Another node's object: no update, no status, no delete; its own may not be deleted.
        await expect(
          nodeA.patch(NODES, 'node-b', { metadata: { labels: { owned: 'yes' } } }),
        ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
        await expect(
          nodeA.patch(NODES, 'node-b', { status: { addresses: [] } }, undefined, 'status'),
        ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
        await expect(nodeA.delete(NODES, 'node-b')).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
        await expect(nodeA.delete(NODES, 'node-a')).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
        await expect(nodeA.create(NODES, { metadata: { name: 'node-c' } })).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
        // A bootstrap token cannot replace an existing node's token, nor register an existing node.
        const stolen = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'node-token-node-b', namespace: 'kube-system' },
          type: 'bosun.dev/node-token',
          stringData: { 'node-name': 'node-b', token: 'e'.repeat(43) },
        };
        await expect(bootstrap.update(SECRETS, stolen)).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
        await admin.delete(SECRETS, 'node-token-node-b');
        await expect(bootstrap.create(SECRETS, stolen)).rejects.toMatchObject({
          code: ErrorCode.Forbidden,
        });
        expect(await status('e'.repeat(43), '/api/v1/nodes/node-b')).toBe(401);
      } finally {
        nodeA.close();
        bootstrap.close();
      }
    });
  });
});
