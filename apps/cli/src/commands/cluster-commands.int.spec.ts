import { X509Certificate } from 'node:crypto';
import type { EventLogLine, ObjectHistory } from '@bosun/api-client';
import { waitFor } from '@bosun/testing';
// The real api-server in this process (own schema and home), through its testing entry point.
import {
  kubectlAvailable,
  startTestApiServer,
  type TestApiServer,
} from '@bosun/api-server-service/testing';
import { apiGet } from '../api-get';
import { caCertHash } from '../ca-pinning';
import type { Output } from '../output';
import { events } from './events';
import { history } from './history';
import { token } from './token';

const capture = (): Output & { lines: string[]; errors: string[]; text(): string } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    text: () => lines.join('\n'),
    info: (l) => lines.push(l),
    error: (l) => errors.push(l),
    progress: () => undefined,
  };
};

const run = async (
  cmd: (args: string[], env: NodeJS.ProcessEnv, out: Output) => Promise<number>,
  args: string[],
  env: NodeJS.ProcessEnv,
) => {
  const out = capture();
  const code = await cmd(args, env, out);
  return { code, out };
};

const describeKubectl = kubectlAvailable() ? describe : describe.skip;
if (!kubectlAvailable())
  console.warn('SKIPPED: bosun history/events/token tests need /usr/bin/kubectl');

describeKubectl(
  'bosun history, events and token against a real api-server (Postgres, kubectl)',
  () => {
    let api: TestApiServer;
    let env: NodeJS.ProcessEnv;
    let controllerManager: string;

    beforeAll(async () => {
      api = await startTestApiServer();
      env = { KUBECONFIG: api.kubeconfigPath };
      controllerManager = api.componentKubeconfigs['system:kube-controller-manager'];
      expect(controllerManager).toBeDefined();
    }, 60_000);
    afterAll(() => api?.stop());

    describe('bosun history', () => {
      beforeAll(async () => {
        await api.kubectl(['create', 'deployment', 'web', '--image=nginx:1']);
        await api.kubectl([
          '--kubeconfig',
          controllerManager,
          'scale',
          'deployment/web',
          '--replicas=3',
        ]);
        await api.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:2']);
        await api.kubectl(['delete', 'deployment', 'web']);
      }, 60_000);

      it('shows every version of a Deployment in order, with actors and diffs', async () => {
        const { code, out } = await run(history, ['deployment/web'], env);
        expect(out.errors).toEqual([]);
        expect(code).toBe(0);
        const blocks = out.text().split('\n\n');
        const headers = blocks.map((b) => b.split('\n')[0]);
        expect(headers.map((h) => h.split(/\s+/).slice(3).join(' '))).toEqual([
          'bosun-admin ADDED',
          'system:kube-controller-manager MODIFIED',
          'bosun-admin MODIFIED',
          'bosun-admin DELETED',
        ]);
        const revisions = headers.map((h) => Number(h.split(/\s+/)[1]));
        expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
        expect(new Set(revisions).size).toBe(4);
        expect(blocks[0]).toMatch(/^\+kind: Deployment$/m);
        expect(blocks[0]).toMatch(/^\+ +image: nginx:1$/m);
        expect(blocks[1]).toMatch(/^- +replicas: 1$/m);
        expect(blocks[1]).toMatch(/^\+ +replicas: 3$/m);
        expect(blocks[2]).toMatch(/^- +image: nginx:1$/m);
        expect(blocks[2]).toMatch(/^\+ +image: nginx:2$/m);
        expect(out.text()).not.toContain('resourceVersion');
        expect(out.text()).not.toContain('managedFields');
        expect(out.text()).not.toContain('\x1b[');
      });

      it.each([
        'deploy/web',
        'deployments/web',
        'deployments.apps/web',
        'Deployment/web',
        'deployments.v1.apps/web',
      ])('resolves %s like kubectl', async (arg) => {
        const { code, out } = await run(history, [arg, '-o', 'json'], env);
        expect(code).toBe(0);
        const h = JSON.parse(out.text()) as ObjectHistory;
        expect(h.resource).toEqual({ group: 'apps', version: 'v1', resource: 'deployments' });
        expect(h.items.map((i) => i.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
      });

      it('lists versions without diffs, and as YAML', async () => {
        const table = await run(history, ['deploy', 'web', '--no-diff'], env);
        expect(table.out.lines[0].split('\n')[0]).toMatch(/^REVISION +TIME +ACTOR +TYPE$/);
        expect(table.out.text().split('\n')).toHaveLength(5);
        const yaml = await run(history, ['deploy/web', '-o', 'yaml'], env);
        expect(yaml.out.text()).toMatch(/^kind: ObjectHistory$/m);
      });

      it('finds namespaced objects with -n and short names (cm)', async () => {
        await api.kubectl(['create', 'namespace', 'shop']);
        await api.kubectl(['-n', 'shop', 'create', 'configmap', 'settings', '--from-literal=a=1']);
        await api.kubectl([
          '-n',
          'shop',
          'patch',
          'configmap',
          'settings',
          '-p',
          '{"data":{"a":"2"}}',
        ]);
        const { code, out } = await run(history, ['cm/settings', '-n', 'shop'], env);
        expect(code).toBe(0);
        expect(out.text()).toMatch(/^- {2}a: "1"$/m);
        expect(out.text()).toMatch(/^\+ {2}a: "2"$/m);
        const elsewhere = await run(history, ['cm/settings'], env);
        expect(elsewhere.code).toBe(1);
        expect(elsewhere.out.errors[0]).toBe(
          'no history recorded for configmaps "settings" in namespace "default"',
        );
      });

      it('says the server does not have an unknown type, as kubectl does', async () => {
        const { code, out } = await run(history, ['frobs/web'], env);
        expect(code).toBe(1);
        expect(out.errors).toEqual(['the server doesn\'t have a resource type "frobs"']);
        const kubectl = await api.kubectl(['get', 'frobs/web']).catch((e: Error) => e.message);
        expect(kubectl).toContain('the server doesn\'t have a resource type "frobs"');
      });

      it('notes compaction when older versions are gone', async () => {
        await api.kubectl(['create', 'configmap', 'compacted', '--from-literal=v=1']);
        for (const v of [2, 3]) {
          await api.kubectl(['patch', 'configmap', 'compacted', '-p', `{"data":{"v":"${v}"}}`]);
        }
        await api.store.compact({ keepRevisions: 1 });
        const { code, out } = await run(history, ['configmap/compacted'], env);
        expect(code).toBe(0);
        expect(out.text().split('\n')[0]).toMatch(
          /^note: history at or before revision \d+ was compacted/,
        );
        expect(out.text()).toMatch(/^\+ {2}v: "3"$/m);
      });
    });

    describe('bosun events', () => {
      it('prints the log after a revision, oldest first', async () => {
        const before = Number(
          (
            JSON.parse((await api.request('/api/v1/namespaces/default/configmaps')).body) as {
              metadata: { resourceVersion: string };
            }
          ).metadata.resourceVersion,
        );
        await api.kubectl(['create', 'configmap', 'ev-one', '--from-literal=a=1']);
        await api.kubectl([
          '--kubeconfig',
          controllerManager,
          'create',
          'configmap',
          'ev-two',
          '--from-literal=a=1',
        ]);
        const { code, out } = await run(events, ['--after', String(before)], env);
        expect(code).toBe(0);
        expect(out.lines[0]).toMatch(/^REVISION +TIME +ACTOR +TYPE +KIND +NAMESPACE\/NAME$/);
        const rows = out.lines.slice(1).map((l) => l.split(/\s+/));
        expect(rows.map((r) => [r[2], r[3], r[4], r[5]])).toEqual([
          ['bosun-admin', 'ADDED', 'ConfigMap', 'default/ev-one'],
          ['system:kube-controller-manager', 'ADDED', 'ConfigMap', 'default/ev-two'],
        ]);
      });

      it('--follow sees a write made after it started, until interrupted', async () => {
        const out = capture();
        const ac = new AbortController();
        const done = events(['--follow', '-o', 'json'], env, out, { signal: ac.signal });
        // The backlog (the last 100 events) arrives first; the write below comes after it.
        await waitFor(() => out.lines.length > 0);
        await api.kubectl(['create', 'configmap', 'followed', '--from-literal=a=1']);
        const line = await waitFor(() =>
          out.lines.map((l) => JSON.parse(l) as EventLogLine).find((e) => e.name === 'followed'),
        );
        expect(line).toMatchObject({
          type: 'ADDED',
          resource: 'configmaps',
          namespace: 'default',
          actor: 'bosun-admin',
        });
        ac.abort();
        expect(await done).toBe(0);
        expect(out.errors).toEqual([]);
      });

      it('explains a revision that was compacted (410)', async () => {
        await api.store.compact({ keepRevisions: 1 });
        const { code, out } = await run(events, ['--after', '1'], env);
        expect(code).toBe(1);
        expect(out.errors[0]).toBe(
          'revision 1 is older than the log keeps (it was compacted): use a later --after, or leave it out for the latest events',
        );
      });
    });

    describe('bosun token', () => {
      it('creates a token that authenticates, lists it, deletes it', async () => {
        const created = await run(token, ['create', '--description', 'rack 4', '--ttl', '2h'], env);
        expect(created.out.errors).toEqual([]);
        expect(created.code).toBe(0);
        const t = created.out.text();
        expect(t).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
        const id = t.slice(0, 6);

        const secret = JSON.parse(
          await api.kubectl([
            '-n',
            'kube-system',
            'get',
            'secret',
            `bootstrap-token-${id}`,
            '-o',
            'json',
          ]),
        ) as { type: string; data: Record<string, string> };
        expect(secret.type).toBe('bootstrap.kubernetes.io/token');
        const exp = Date.parse(Buffer.from(secret.data.expiration, 'base64').toString());
        expect(exp - Date.now()).toBeGreaterThan(110 * 60_000);
        expect(exp - Date.now()).toBeLessThanOrEqual(120 * 60_000);

        const asNode = { server: api.url, caPem: api.caCertPem, token: t, namespace: 'default' };
        expect((await apiGet(asNode, '/api')).status).toBe(200);

        const list = await run(token, ['list'], env);
        expect(list.code).toBe(0);
        expect(list.out.text().split('\n')[0]).toMatch(
          /^ID +TTL +EXPIRES +USAGES +DESCRIPTION +EXTRA GROUPS$/,
        );
        const row = list.out
          .text()
          .split('\n')
          .find((l) => l.startsWith(id));
        expect(row).toMatch(
          /^[a-z0-9]{6} +(1h|11\dm) +\S+Z +authentication,signing +rack 4 +system:bootstrappers:bosun:default-node-token$/,
        );
        expect(list.out.text()).not.toContain(t);

        const deleted = await run(token, ['delete', t], env);
        expect(deleted.code).toBe(0);
        expect(deleted.out.lines).toEqual([`bootstrap token "${id}" deleted`]);
        await waitFor(async () => (await apiGet(asNode, '/api')).status === 401, {
          what: 'the deleted token to be refused',
        });
        expect((await run(token, ['list'], env)).out.text()).not.toContain(id);
        const again = await run(token, ['delete', id], env);
        expect(again.code).toBe(1);
        expect(again.out.errors).toEqual([`bootstrap token "${id}" not found`]);
      });

      it('prints the join command with the server and the hash of its CA', async () => {
        const { code, out } = await run(token, ['create', '--print-join-command'], env);
        expect(code).toBe(0);
        const hash = caCertHash(new X509Certificate(api.caCertPem));
        expect(out.text()).toMatch(
          new RegExp(
            `^bosun node join ${api.url.replace(/[.]/g, '\\.')} --token [a-z0-9]{6}\\.[a-z0-9]{16} --ca-cert-hash ${hash}$`,
          ),
        );
      });

      it('prints the join command with --server in place of the kubeconfig server, and checks it', async () => {
        const server = 'https://api.example.internal:6443';
        const { code, out } = await run(
          token,
          ['create', '--print-join-command', '--server', server],
          env,
        );
        expect(code).toBe(0);
        expect(out.text()).toMatch(
          new RegExp(`^bosun node join ${server.replace(/[.]/g, '\\.')} --token `),
        );
        expect(
          (await run(token, ['create', '--print-join-command', '--server', 'ftp://x'], env)).code,
        ).toBe(2);
        expect((await run(token, ['create', '--server', server], env)).code).toBe(2);
      });

      it('a token with --ttl 0 never expires', async () => {
        const { out } = await run(token, ['create', '--ttl', '0', '--description', 'forever'], env);
        const id = out.text().slice(0, 6);
        const row = (await run(token, ['list'], env)).out
          .text()
          .split('\n')
          .find((l) => l.startsWith(id));
        expect(row).toMatch(/<forever> +<never> +/);
      });
    });
  },
);
