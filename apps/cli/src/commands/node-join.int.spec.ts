import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig } from '@bosun/api-client';
import { Resources, type Node } from '@bosun/api-types';
import { freePort, uniquePrefix, waitFor } from '@bosun/testing';
// The real api-server in this process (own schema and home), through its testing entry point.
import { startTestApiServer, type TestApiServer } from '@bosun/api-server-service/testing';
import type { Output } from '../output';
import { NODE_AGENT_ENTRY, nodeJoin } from './node-join';
import { token } from './token';

const capture = (): Output & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (l) => lines.push(l),
    error: (l) => errors.push(l),
    progress: () => undefined,
  };
};

const NODES = Resources.nodes;
const built = existsSync(NODE_AGENT_ENTRY);
if (!built)
  console.warn(
    `SKIPPED: bosun node join tests need the node agent built (${NODE_AGENT_ENTRY}); nx test builds it`,
  );
const describeBuilt = built ? describe : describe.skip;

describeBuilt(
  'bosun node join against a real api-server, node agent on the process runtime',
  () => {
    let api: TestApiServer;
    let admin: ApiClient;
    let env: NodeJS.ProcessEnv;
    let dir: string;
    let join_: string[];

    beforeAll(async () => {
      api = await startTestApiServer();
      admin = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
      dir = mkdtempSync(join(tmpdir(), 'bosun-join-'));
      env = { ...process.env, KUBECONFIG: api.kubeconfigPath, NODE_AGENT_GRPC_PORT: '0' };
      const out = capture();
      expect(await token(['create', '--ttl', '1h', '--print-join-command'], env, out)).toBe(0);
      // bosun node join <url> --token T --ca-cert-hash H
      join_ = out.lines[0].split(' ').slice(3);
    }, 60_000);

    afterAll(async () => {
      admin?.close();
      await api?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const args = (over: Record<string, string>, root: string, name: string): string[] => {
      const [url, ...flags] = join_;
      const map: Record<string, string> = {};
      for (let i = 0; i < flags.length; i += 2) map[flags[i]] = flags[i + 1];
      Object.assign(map, over);
      return [
        url,
        ...Object.entries(map).flat(),
        '--runtime',
        'process',
        '--root',
        root,
        '--name',
        name,
      ];
    };

    it('joins with the printed command: the CA is pinned, the agent registers a Ready Node, Ctrl-C stops it', async () => {
      const name = `${uniquePrefix('join')}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      const root = join(dir, 'ok');
      const logPath = join(dir, 'agent-ok.log');
      const fd = openSync(logPath, 'a');
      const ac = new AbortController();
      const out = capture();
      const healthPort = await freePort();
      const agentEnv = {
        ...env,
        NODE_AGENT_HTTP_PORT: String(healthPort),
        NODE_AGENT_HTTP_HOST: '127.0.0.1',
      };
      const done = nodeJoin(args({}, root, name), agentEnv, out, {
        signal: ac.signal,
        agentOutput: fd,
      });
      try {
        const node = await waitFor(
          async () => {
            const n = await admin.get<Node>(NODES, name).catch(() => undefined);
            return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
              ? n
              : undefined;
          },
          { timeoutMs: 60_000, what: `Node ${name} Ready (agent log: ${logPath})` },
        );
        expect(node.metadata.name).toBe(name);
        // Its health port answers once start-up is over (service-host handles SIGTERM from then on;
        // a signal during start-up ends the process the default way, exit 143).
        await waitFor(
          async () =>
            (await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined))?.ok,
          { timeoutMs: 60_000, what: `the node agent's /readyz (log: ${logPath})` },
        );
        expect(out.errors).toEqual([]);
        expect(out.lines[0]).toMatch(/verified; CA written to .*ca\.crt; starting the node agent/);
        expect(new X509Certificate(readFileSync(join(root, 'ca.crt'))).fingerprint256).toBe(
          new X509Certificate(api.caCertPem).fingerprint256,
        );
        expect(statSync(join(root, 'kubeconfig')).mode & 0o777).toBe(0o600);
        // The agent swapped the bootstrap token for a node token of its own.
        expect(readFileSync(join(root, 'kubeconfig'), 'utf8')).not.toContain(join_[2]);
      } finally {
        ac.abort();
        const code = await done;
        closeSync(fd);
        if (code !== 0)
          console.warn(`node agent log:\n${readFileSync(logPath, 'utf8').slice(-4000)}`);
        expect(code).toBe(0);
      }
    }, 90_000);

    it('refuses a server whose CA does not match --ca-cert-hash, before sending the token', async () => {
      const root = join(dir, 'bad-hash');
      const out = capture();
      const code = await nodeJoin(
        args({ '--ca-cert-hash': `sha256:${'0'.repeat(64)}` }, root, 'bad-hash'),
        env,
        out,
      );
      expect(code).toBe(1);
      expect(out.errors[0]).toMatch(
        /^the api-server's certificates do not match --ca-cert-hash sha256:0{64}: refusing to join\./,
      );
      expect(out.errors[0]).toMatch(/CN=bosun-ca: sha256:[0-9a-f]{64} \(CA\)/);
      expect(existsSync(join(root, 'ca.crt'))).toBe(false);
      await expect(admin.get(NODES, 'bad-hash')).rejects.toThrow(/not found/);
    });

    it('says the bootstrap token was refused when it is wrong', async () => {
      const out = capture();
      const code = await nodeJoin(
        args({ '--token': 'abcdef.0000000000000000' }, join(dir, 'bad-token'), 'bad-token'),
        env,
        out,
      );
      expect(code).toBe(1);
      expect(out.errors[0]).toMatch(
        /^the bootstrap token was refused by the api-server \(401 Unauthorized\)/,
      );
    });

    it('with --ca-file, refuses a server that CA did not sign', async () => {
      const other = join(dir, 'other-ca.crt');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-subj',
          '/CN=other-ca',
          '-days',
          '1',
          '-keyout',
          join(dir, 'other-ca.key'),
          '-out',
          other,
        ],
        { stdio: 'ignore' },
      );
      const [url, , t] = join_;
      const out = capture();
      const code = await nodeJoin(
        [url, '--token', t, '--ca-file', other, '--root', join(dir, 'bad-ca')],
        env,
        out,
      );
      expect(code).toBe(1);
      expect(out.errors[0]).toMatch(/is not trusted with the given CA/);
    });
  },
);
