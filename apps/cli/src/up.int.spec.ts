import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import {
  buildTestImage,
  missingTestTools,
  skopeoCopy,
  startTestRegistry,
  type TestRegistry,
} from '@bosun/image';
import {
  createTestSchema,
  freePort,
  natsUrl,
  uniquePrefix,
  waitFor,
  type TestSchema,
} from '@bosun/testing';
import type { ClusterStatus } from './commands/status';

const BIN = join(__dirname, '..', 'bin', 'bosun.js');
const KUBECTL = '/usr/bin/kubectl';

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  out(): string;
}

/** One cluster home with its own schema, stream prefix and ports; `bosun` runs as a child process. */
class TestCluster {
  private schema!: TestSchema;
  readonly home = mkdtempSync(join(tmpdir(), 'bosun-home-'));
  readonly natsPrefix = uniquePrefix('up');
  env: NodeJS.ProcessEnv = {};

  async init(): Promise<void> {
    this.schema = await createTestSchema('up');
    this.env = {
      ...process.env,
      BOSUN_HOME: this.home,
      DATABASE_URL: this.schema.url,
      DATABASE_SCHEMA: this.schema.schema,
      NATS_PREFIX: this.natsPrefix,
      BOSUN_API_PORT: String(await freePort()),
      BOSUN_API_GRPC_PORT: String(await freePort()),
      BOSUN_API_HEALTH_PORT: String(await freePort()),
      BOSUN_SCHEDULER_HEALTH_PORT: String(await freePort()),
      BOSUN_CONTROLLER_MANAGER_HEALTH_PORT: String(await freePort()),
      BOSUN_CLOUD_CONTROLLER_MANAGER_HEALTH_PORT: String(await freePort()),
    };
  }

  get kubeconfig(): string {
    return join(this.home, 'kubeconfig');
  }

  async up(...args: string[]): Promise<Started> {
    const child = spawn(process.execPath, [BIN, 'up', ...args], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    let gone = false;
    void exited.then(() => (gone = true));
    await waitFor(() => stdout.includes('export KUBECONFIG=') || gone, {
      timeoutMs: 120_000,
      what: `bosun up to print its summary (stdout: ${stdout} stderr: ${stderr})`,
    });
    if (gone) throw new Error(`bosun up exited: ${stdout}\n${stderr}`);
    return { child, exited, out: () => stdout };
  }

  bosun(...args: string[]): { code: number; stdout: string; stderr: string } {
    try {
      const stdout = execFileSync(process.execPath, [BIN, ...args], {
        env: this.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, stdout, stderr: '' };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, stdout: err.stdout, stderr: err.stderr };
    }
  }

  status(): ClusterStatus {
    return JSON.parse(this.bosun('status', '--output', 'json').stdout) as ClusterStatus;
  }

  kubectl(...args: string[]): string {
    return execFileSync(KUBECTL, ['--kubeconfig', this.kubeconfig, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  async cleanup(): Promise<void> {
    if (existsSync(join(this.home, 'run', 'bosun-up.json'))) {
      const down = this.bosun('down');
      if (down.code !== 0) console.warn(`bosun down in cleanup: ${down.stdout} ${down.stderr}`);
    }
    rmSync(this.home, { recursive: true, force: true });
    await this.schema?.drop();
    const nc = await connect({ servers: natsUrl() });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`${this.natsPrefix}_EVENTS`).catch(() => undefined);
    await nc.close();
  }
}

const isRoot = process.getuid?.() === 0;
const missing = [
  ...(isRoot ? [] : ['root']),
  ...['/usr/sbin/runc', '/usr/sbin/ip', '/usr/bin/nsenter'].filter((p) => !existsSync(p)),
  ...missingTestTools('registry', 'skopeo', 'busybox'),
];
if (missing.length) {
  console.warn(`SKIPPING the runc multi-host bosun up test: missing ${missing.join(', ')}`);
}
const describeRunc = missing.length ? describe.skip : describe;

describeRunc(
  'bosun up --nodes 2 with runc: one network namespace per node (needs root, runc, Postgres, NATS, a build, kubectl)',
  () => {
    const cluster = new TestCluster();
    let registry: TestRegistry | undefined;
    let first: Started | undefined;

    beforeAll(() => cluster.init());
    afterAll(async () => {
      first?.child.kill('SIGTERM');
      await first?.exited;
      await registry?.stop();
      await cluster.cleanup();
    }, 120_000);

    const ipNetns = () => execFileSync('/usr/sbin/ip', ['netns', 'list'], { encoding: 'utf8' });
    const podsOf = (selector: string) =>
      JSON.parse(cluster.kubectl('get', 'pods', '-l', selector, '-o', 'json')).items as {
        metadata: { name: string };
        spec: { nodeName?: string };
        status: { phase?: string; podIP?: string };
      }[];

    it('runs two nodes as separate hosts; pods reach pods on the other node; down leaves nothing behind; a second up finds the same nodes and workloads', async () => {
      first = await cluster.up('--nodes', '2');
      expect(first.out()).toContain('runtime     runc (each node in its own network namespace)');

      const status = cluster.status();
      expect(status).toMatchObject({ running: true, home: cluster.home, runtime: 'runc' });
      expect(status.kubeconfig).toBe(cluster.kubeconfig);
      expect(status.services!.map((s) => [s.name, s.ready])).toEqual([
        ['api-server', true],
        ['scheduler', true],
        ['controller-manager', true],
        ['cloud-controller-manager', true],
      ]);
      const nodes = status.nodes!;
      expect(nodes.map((n) => [n.name, n.ready, n.podCIDR])).toEqual([
        ['node-1', true, '10.244.1.0/24'],
        ['node-2', true, '10.244.2.0/24'],
      ]);
      expect(new Set(nodes.map((n) => n.address)).size).toBe(2);
      for (const n of nodes) {
        expect(ipNetns()).toContain(n.netns!);
        // The node's own address lives inside its namespace, not on the host.
        const inNs = execFileSync('/usr/sbin/ip', ['-n', n.netns!, '-o', '-4', 'addr'], {
          encoding: 'utf8',
        });
        expect(inNs).toContain(` ${n.address}/24 `);
      }
      const hostAddrs = execFileSync('/usr/sbin/ip', ['-o', '-4', 'addr'], { encoding: 'utf8' });
      expect(hostAddrs).toContain(` ${status.hostAddress}/24 `);
      // The api-server dials each agent at the node's address (kubectl logs/exec depend on it).
      expect(
        cluster.kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[0].address}'),
      ).toBe(nodes.map((n) => n.address).join(' '));

      // A local registry where the nodes reach it: the bridge's host address.
      registry = await startTestRegistry({ listen: status.hostAddress });
      const dir = mkdtempSync(join(tmpdir(), 'bosun-web-image-'));
      await buildTestImage(dir, {
        cmd: [
          '/bin/sh',
          '-c',
          'echo hello-from-$(hostname) > /index.html; exec httpd -f -p 8080 -h /',
        ],
      });
      await skopeoCopy(`oci:${dir}:latest`, `docker://${registry.host}/web:1`);
      rmSync(dir, { recursive: true, force: true });

      cluster.kubectl(
        'create',
        'deployment',
        'web',
        `--image=${registry.host}/web:1`,
        '--replicas=2',
      );
      await waitFor(
        () => {
          const pods = podsOf('app=web');
          return (
            pods.length === 2 &&
            pods.every((p) => p.status.phase === 'Running' && p.status.podIP) &&
            new Set(pods.map((p) => p.spec.nodeName)).size === 2
          );
        },
        { timeoutMs: 90_000, what: 'two web pods Running, one on each node' },
      );
      const [a, b] = podsOf('app=web');
      // Pod to pod across nodes, by pod IP: node → node address → other node's bridge → pod.
      for (const [from, to] of [
        [a, b],
        [b, a],
      ]) {
        const page = cluster.kubectl(
          'exec',
          from.metadata.name,
          '--',
          'sh',
          '-c',
          `printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${to.status.podIP} 8080`,
        );
        expect(page).toContain(`hello-from-${to.metadata.name}`);
      }

      // A node agent that dies does not take the cluster down.
      const agent2 = nodes[1].pid!;
      process.kill(agent2, 'SIGKILL');
      await waitFor(() => first!.out().includes('! node agent node-2 stopped'), {
        timeoutMs: 10_000,
        what: 'bosun up to report that node-2 stopped',
      });
      expect(cluster.status().nodes![1].pid).toBeNull();
      const afterKill = cluster.status();
      expect(afterKill.running).toBe(true);
      expect(afterKill.services!.every((s) => s.ready)).toBe(true);

      // Down: no runc container, pod namespace, node namespace, bridge or pod cgroup is left.
      const sandboxes = nodes.flatMap((n) =>
        readdirSync(join(n.root, 'runtime', 'sandboxes')).map((id) => id),
      );
      expect(sandboxes.length).toBeGreaterThanOrEqual(2);
      const down = cluster.bosun('down');
      expect(down.code).toBe(0);
      expect(await first.exited).toBe(0);
      first = undefined;
      expect(existsSync(join(cluster.home, 'run', 'bosun-up.json'))).toBe(false);
      const netnsAfter = ipNetns();
      for (const n of nodes) {
        expect(netnsAfter).not.toContain(n.netns!);
        const runcList = execFileSync(
          '/usr/sbin/runc',
          ['--root', join(n.root, 'runtime', 'runc'), 'list', '-q'],
          { encoding: 'utf8' },
        );
        expect(runcList.trim()).toBe('');
      }
      for (const id of sandboxes) {
        expect(netnsAfter).not.toContain(id);
        expect(existsSync(`/sys/fs/cgroup/memory/bosun/${id}`)).toBe(false);
        expect(existsSync(`/sys/fs/cgroup/bosun/${id}`)).toBe(false);
      }
      expect(() =>
        execFileSync('/usr/sbin/ip', ['link', 'show', 'dev', status.bridge!], { stdio: 'ignore' }),
      ).toThrow();
      expect(cluster.bosun('status').code).toBe(1);
      expect(JSON.parse(cluster.bosun('status', '-o', 'json').stdout)).toEqual({
        running: false,
        home: cluster.home,
      });

      // Second start (node count as last time): same nodes, addresses, pod CIDRs; the pods run again.
      first = await cluster.up();
      const again = cluster.status();
      expect(again.hostAddress).toBe(status.hostAddress);
      expect(again.nodes!.map((n) => [n.name, n.address, n.podCIDR, n.netns, n.ready])).toEqual(
        nodes.map((n) => [n.name, n.address, n.podCIDR, n.netns, true]),
      );
      await waitFor(
        () => {
          const pods = podsOf('app=web');
          return pods.length === 2 && pods.every((p) => p.status.phase === 'Running');
        },
        { timeoutMs: 90_000, what: 'the web pods Running again after the second up' },
      );
      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      first = undefined;
      for (const n of nodes) expect(ipNetns()).not.toContain(n.netns!);
    }, 420_000);
  },
);

describe('bosun up --runtime process: nodes on loopback (needs Postgres, NATS, a build, kubectl)', () => {
  const cluster = new TestCluster();
  beforeAll(() => cluster.init());
  afterAll(() => cluster.cleanup(), 120_000);

  it('starts the control plane and two process nodes, says there is no isolation, and stops cleanly; a second start finds the same cluster', async () => {
    const first = await cluster.up('--nodes', '2', '--runtime', 'process');
    expect(first.out()).toContain(
      'runtime     process (no isolation: requested with --runtime process)',
    );
    expect(first.out()).toContain(`export KUBECONFIG=${cluster.kubeconfig}`);
    const status = cluster.status();
    expect(status).toMatchObject({ running: true, runtime: 'process', hostAddress: '127.0.0.1' });
    expect(status.nodes!.map((n) => [n.name, n.ready, n.netns, n.address])).toEqual([
      ['node-1', true, null, '127.0.0.1'],
      ['node-2', true, null, '127.0.0.1'],
    ]);
    expect(cluster.kubectl('get', 'nodes', '-o', 'name').trim().split('\n')).toEqual([
      'node/node-1',
      'node/node-2',
    ]);
    // The cloud-controller-manager initialized each Node (registered with the uninitialized taint).
    await waitFor(
      () =>
        cluster.kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].spec.providerID}').trim() ===
        'local://node-1 local://node-2',
      { timeoutMs: 30_000, what: 'the cloud-controller-manager to initialize both nodes' },
    );
    expect(cluster.kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].spec.taints}')).not.toContain(
      'node.cloudprovider.kubernetes.io/uninitialized',
    );
    // Each node has its own identity, kept in a node-token Secret.
    expect(
      cluster.kubectl('-n', 'kube-system', 'get', 'secrets', '-o', 'jsonpath={.items[*].type}'),
    ).toContain('bosun.dev/node-token');
    cluster.kubectl('create', 'namespace', 'kept');
    // The one `up` of a home: a second is refused while the first runs.
    const again = cluster.bosun('up');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already running/);

    expect(cluster.bosun('down')).toMatchObject({ code: 0 });
    expect(await first.exited).toBe(0);

    const second = await cluster.up('--runtime', 'process');
    expect(cluster.kubectl('get', 'namespace', 'kept', '-o', 'name').trim()).toBe('namespace/kept');
    expect(cluster.status().nodes!.map((n) => n.name)).toEqual(['node-1', 'node-2']);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 240_000);

  it('rejects a bad flag with the usage and exit code 2', () => {
    const res = cluster.bosun('up', '--nodes', 'many');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--nodes must be a whole number/);
    expect(res.stderr).toMatch(/Usage: bosun up \[--nodes N\]/);
    expect(cluster.bosun('status', '--output', 'yaml').code).toBe(2);
  });

  it('says what is missing and exits non-zero when Postgres is not reachable', async () => {
    const port = await freePort();
    const res = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'up'], {
        env: { ...cluster.env, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      c.stderr.on('data', (d) => (err += d));
      c.once('exit', (code) => resolve({ code, err }));
    });
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/PostgreSQL at .* is not reachable/);
    expect(res.err).toMatch(/fix: check DATABASE_URL/);
  }, 30_000);
});
