import { credentials, loadPackageDefinition, Metadata, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import pino from 'pino';
import { GRPC_LOADER_OPTIONS, PROTO_FILES, type ExecResponse } from '@bosun/proto';
import { ContainerState, type ContainerRuntime } from '@bosun/runtime';
import {
  RUNTIME_VARIANTS,
  type RuntimeEnv,
  type RuntimeVariant,
} from '../../test/runtime-variants';
import { PodLabel } from '../pods/labels';
import { startNodeAgentGrpc, type RunningNodeAgentGrpc } from './node-agent-grpc';

type Stream = NodeJS.EventEmitter & { cancel(): void; write?(m: unknown): void; end?(): void };
type AgentClient = Client & {
  StreamLogs(req: unknown, md: Metadata): Stream;
  Exec(md: Metadata): Stream & { write(m: unknown): void; end(): void };
};

const TOKEN = 'node-agent-test-token-0123456789abcdef';

function clientFor(agent: RunningNodeAgentGrpc): AgentClient {
  const def = loadSync([...PROTO_FILES], {
    ...GRPC_LOADER_OPTIONS,
    includeDirs: [...GRPC_LOADER_OPTIONS.includeDirs],
  });
  const pkg = loadPackageDefinition(def) as unknown as {
    bosun: { v1: { NodeAgentService: new (a: string, c: unknown) => AgentClient } };
  };
  const creds = credentials.createSsl(Buffer.from(agent.certPem), null, null, {
    checkServerIdentity: () => undefined,
  });
  return new pkg.bosun.v1.NodeAgentService(`127.0.0.1:${agent.port}`, creds);
}

const md = (token = TOKEN) => {
  const m = new Metadata();
  m.set('authorization', `Bearer ${token}`);
  return m;
};

/** Collects a stream's data until it ends; rejects with the gRPC error. */
function collect(s: Stream, until?: (text: string) => boolean): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    s.on('data', (m: { data: Buffer }) => {
      text += m.data.toString();
      if (until?.(text)) {
        s.cancel();
        resolve(text);
      }
    });
    s.on('end', () => resolve(text));
    s.on('error', (e: Error) => (until?.(text) ? resolve(text) : reject(e)));
  });
}

function runExec(
  c: AgentClient,
  start: Record<string, unknown>,
  stdin?: string,
): Promise<{ out: string; err: string; code?: number; error?: Error }> {
  const call = c.Exec(md());
  let out = '';
  let err = '';
  let code: number | undefined;
  return new Promise((resolve) => {
    call.on('data', (m: ExecResponse) => {
      if (m.stdout) out += Buffer.from(m.stdout).toString();
      if (m.stderr) err += Buffer.from(m.stderr).toString();
      if (m.exit) code = m.exit.exitCode;
    });
    call.on('end', () => resolve({ out, err, code }));
    call.on('error', (e: Error) => resolve({ out, err, code, error: e }));
    call.write({ start: { namespace: 'ns1', pod: 'web', container: 'main', ...start } });
    if (stdin !== undefined) {
      call.write({ stdin: Buffer.from(stdin) });
      call.write({ closeStdin: true });
    }
  });
}

for (const variant of RUNTIME_VARIANTS) {
  if (variant.unavailable) {
    it(`SKIPPED: node agent gRPC on the ${variant.name} — ${variant.unavailable}`, () => undefined);
    continue;
  }
  describeVariant(variant);
}

function describeVariant(variant: RuntimeVariant): void {
  describe(`node agent gRPC server: StreamLogs and Exec over TLS (integration: ${variant.name}, real CRI log files)`, () => {
    let env: RuntimeEnv;
    let runtime: ContainerRuntime;
    let agent: RunningNodeAgentGrpc;
    let client: AgentClient;
    let containerId: string;

    beforeAll(async () => {
      const log = pino({ level: 'silent' });
      env = await variant.make();
      runtime = env.runtime;
      const sb = await runtime.runPodSandbox({ name: 'web', namespace: 'ns1', uid: 'u1' });
      const labels = (attempt: number) => ({
        [PodLabel.Namespace]: 'ns1',
        [PodLabel.Name]: 'web',
        [PodLabel.Uid]: 'u1',
        [PodLabel.Container]: 'main',
        [PodLabel.Attempt]: String(attempt),
      });
      const image = env.image;
      const old = await runtime.createContainer(sb.id, {
        name: 'main',
        image,
        command: ['sh', '-c', 'echo from-previous'],
        labels: labels(0),
      });
      await runtime.startContainer(old);
      await waitFor(
        async () => (await runtime.containerStatus(old)).state === ContainerState.Exited,
      );
      containerId = await runtime.createContainer(sb.id, {
        name: 'main',
        image,
        command: [
          'sh',
          '-c',
          'echo one; echo two >&2; echo three; while :; do sleep 0.2; echo tick; done',
        ],
        labels: labels(1),
      });
      await runtime.startContainer(containerId);
      agent = await startNodeAgentGrpc({
        nodeName: 'n1',
        runtime,
        podLookup: () => 'u1',
        token: TOKEN,
        log,
        port: 0,
        host: '127.0.0.1',
        followPollMs: 50,
      });
      client = clientFor(agent);
      await waitFor(async () => (await collect(client.StreamLogs(req(), md()))).includes('three'));
    }, 60_000);

    afterAll(async () => {
      client?.close();
      await agent?.stop();
      await env?.cleanup();
    }, 60_000);

    const req = (o: Record<string, unknown> = {}) => ({
      namespace: 'ns1',
      pod: 'web',
      container: 'main',
      ...o,
    });

    it('streams the whole log, stdout and stderr in order', async () => {
      const text = await collect(client.StreamLogs(req(), md()));
      // stdout and stderr are separate pipes in the process runtime: only per-stream order holds.
      expect(text.split('\n').slice(0, 3).sort()).toEqual(['one', 'three', 'two']);
      expect(text.indexOf('one')).toBeLessThan(text.indexOf('three'));
    });

    it('honours tailLines and timestamps', async () => {
      const text = await collect(client.StreamLogs(req({ tailLines: 1, timestamps: true }), md()));
      expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \w+\n$/);
    });

    it('sinceSeconds far in the past keeps every line', async () => {
      const text = await collect(client.StreamLogs(req({ sinceSeconds: 3600 }), md()));
      // The first lines are kept; stdout and stderr are separate pipes, so only per-stream order
      // is fixed ('two' on stderr may land before 'one').
      expect(text.split('\n').slice(0, 3).sort()).toEqual(['one', 'three', 'two']);
      expect(text.indexOf('one')).toBeLessThan(text.indexOf('three'));
    });

    it('sinceTime keeps only lines at or after it', async () => {
      const future = await collect(
        client.StreamLogs(req({ sinceTime: '2100-01-01T00:00:00Z' }), md()),
      );
      expect(future).toBe('');
      const past = await collect(
        client.StreamLogs(req({ sinceTime: '2000-01-01T00:00:00Z' }), md()),
      );
      expect(past.startsWith('one\n') || past.startsWith('two\n')).toBe(true);
    });

    it('previous reads the last terminated instance', async () => {
      expect(await collect(client.StreamLogs(req({ previous: true }), md()))).toBe(
        'from-previous\n',
      );
    });

    it('follow delivers lines written after the call began', async () => {
      const before = (await collect(client.StreamLogs(req(), md()))).split('\n').length;
      const text = await collect(
        client.StreamLogs(req({ follow: true }), md()),
        (t) => t.split('\n').length > before + 1,
      );
      expect(text.split('\n').length).toBeGreaterThan(before + 1);
    });

    it('an unknown container is NOT_FOUND; a wrong token is UNAUTHENTICATED', async () => {
      await expect(collect(client.StreamLogs(req({ container: 'nope' }), md()))).rejects.toThrow(
        /NOT_FOUND.*container "nope" in pod "web" not found/,
      );
      await expect(collect(client.StreamLogs(req(), md('wrong')))).rejects.toThrow(
        /UNAUTHENTICATED/,
      );
    });

    it('exec returns output, stderr and the exit code', async () => {
      const r = await runExec(client, { command: ['sh', '-c', 'echo hi; echo oops >&2; exit 3'] });
      expect(r).toEqual({ out: 'hi\n', err: 'oops\n', code: 3 });
    });

    it('exec relays stdin until the caller closes it', async () => {
      const r = await runExec(client, { command: ['cat'], stdin: true }, 'some input\n');
      expect(r).toEqual({ out: 'some input\n', err: '', code: 0 });
    });
  });
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
