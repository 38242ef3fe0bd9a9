import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FakeApi, startFakeApi } from './fake-api-server';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const haveKubectl = existsSync(KUBECTL);
const describeKubectl = haveKubectl ? describe : describe.skip;

if (!haveKubectl) {
  describe('kubectl integration — SKIPPED: /usr/bin/kubectl is missing', () => {
    it.skip('SKIPPED: install kubectl 1.32 at /usr/bin/kubectl to run these', () => undefined);
  });
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    creationTimestamp: new Date(Date.now() - 3600_000).toISOString(),
  },
  spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'nginx' }] },
  status: {
    phase: 'Running',
    podIP: '10.1.0.7',
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  },
};

describeKubectl(
  'kubectl 1.32 against the resource-model documents (integration: runs /usr/bin/kubectl)',
  () => {
    let api: FakeApi;
    let dir: string;
    const kubectl = async (
      ...args: string[]
    ): Promise<{ stdout: string; stderr: string; code: number }> => {
      try {
        const { stdout, stderr } = await run(
          KUBECTL,
          ['--kubeconfig', join(dir, 'config'), ...args],
          { timeout: 60_000 },
        );
        return { stdout, stderr, code: 0 };
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; code?: number };
        return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code ?? 1 };
      }
    };

    beforeAll(async () => {
      api = await startFakeApi([pod]);
      dir = mkdtempSync(join(tmpdir(), 'bosun-rm-kubectl-'));
      writeFileSync(
        join(dir, 'config'),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'fake',
          clusters: [{ name: 'fake', cluster: { server: api.url } }],
          contexts: [
            { name: 'fake', context: { cluster: 'fake', user: 'u', namespace: 'default' } },
          ],
          users: [{ name: 'u', user: {} }],
        }),
      );
    });

    afterAll(async () => {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists resources from aggregated discovery (kubectl api-resources)', async () => {
      const r = await kubectl('api-resources');
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    });

    it('explains fields from OpenAPI v3 (kubectl explain)', async () => {
      const r = await kubectl('explain', 'deploy.spec.strategy');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('GROUP:      apps');
      expect(r.stdout).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
      expect(r.stdout).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    });

    it('prints the Table of pods (kubectl get po -o wide)', async () => {
      const r = await kubectl('get', 'po', '-o', 'wide');
      expect(r.stderr).toBe('');
      const [header, row] = r.stdout.trim().split('\n');
      expect(header?.split(/\s{2,}/)).toEqual([
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
        'IP',
        'NODE',
        'NOMINATED NODE',
        'READINESS GATES',
      ]);
      expect(row?.split(/\s{2,}/)).toEqual([
        'web-1',
        '1/1',
        'Running',
        '0',
        '60m',
        '10.1.0.7',
        'node-a',
        '<none>',
        '<none>',
      ]);
    });

    it('shows the NotFound Status as kubectl does', async () => {
      const r = await kubectl('get', 'po', 'nope');
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    });

    it('reports validation errors and strict unknown fields from create', async () => {
      const bad = join(dir, 'bad.json');
      writeFileSync(
        bad,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'x' },
          spec: { containers: [] },
        }),
      );
      const invalid = await kubectl('create', '-f', bad);
      expect(invalid.stderr).toContain('The Pod "x" is invalid: spec.containers: Required value');
      const typo = join(dir, 'typo.json');
      writeFileSync(
        typo,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'y' },
          spec: { containers: [{ name: 'a', image: 'b', imagee: 'c' }] },
        }),
      );
      const strict = await kubectl('create', '-f', typo);
      expect(strict.stderr).toContain(
        'strict decoding error: unknown field "spec.containers[0].imagee"',
      );
    });

    it('accepts the objects kubectl generators build, under strict field validation', async () => {
      // Typed `kubectl create <kind>` sends protobuf, which this JSON-only stand-in does not read:
      // the generators' output (--dry-run=client -o json) is sent back as JSON with create -f.
      const generators = [
        ['create', 'deployment', 'd1', '--image=nginx:1.27', '--replicas=2', '--port=80'],
        ['create', 'service', 'clusterip', 's1', '--tcp=80:8080'],
        ['create', 'service', 'nodeport', 's2', '--tcp=443:8443'],
        ['create', 'configmap', 'c1', '--from-literal=a=b'],
        ['create', 'secret', 'generic', 's1', '--from-literal=a=b'],
        ['create', 'job', 'j1', '--image=busybox'],
        ['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=* * * * *'],
        ['create', 'namespace', 'team-a'],
        ['create', 'serviceaccount', 'robot'],
        ['run', 'solo', '--image=nginx', '--port=80', '--env=A=1', '--labels=app=solo'],
      ];
      for (const args of generators) {
        const generated = await kubectl(...args, '--dry-run=client', '-o', 'json');
        expect({ args, stderr: generated.stderr }).toEqual({ args, stderr: '' });
        const file = join(dir, `${args.slice(1, 3).join('-')}.json`);
        writeFileSync(file, generated.stdout);
        const r = await kubectl('create', '-f', file);
        expect({ args, stderr: r.stderr }).toEqual({ args, stderr: '' });
        expect(r.stdout).toMatch(/created$/m);
      }
      const deployments = await kubectl('get', 'deploy', 'd1');
      expect(deployments.stdout).toMatch(/^d1\s+0\/2\s+0\s+0\s+\S+$/m);
    });

    it('applies three times: create, then strategic merge patches computed by kubectl apply', async () => {
      const manifest = (image: string, withSidecar: boolean, labels: Record<string, string>) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'app', image, env: [{ name: 'A', value: '1' }] },
                ...(withSidecar ? [{ name: 'sidecar', image: 'proxy:1' }] : []),
              ],
            },
          },
        },
      });
      const file = join(dir, 'deploy.json');
      writeFileSync(file, JSON.stringify(manifest('nginx:1', true, { app: 'web' })));
      const created = await kubectl('apply', '-f', file);
      expect(created.stderr).toBe('');
      expect(created.stdout.trim()).toBe('deployment.apps/web created');
      writeFileSync(file, JSON.stringify(manifest('nginx:2', false, { app: 'web', tier: 'fe' })));
      const configured = await kubectl('apply', '-f', file);
      expect(configured.stderr).toBe('');
      expect(configured.stdout.trim()).toBe('deployment.apps/web configured');
      const got = JSON.parse((await kubectl('get', 'deploy', 'web', '-o', 'json')).stdout) as {
        metadata: { labels: Record<string, string> };
        spec: { replicas: number; template: { spec: { containers: Record<string, unknown>[] } } };
      };
      expect(got.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(got.spec.replicas).toBe(1);
      expect(got.spec.template.spec.containers).toEqual([
        expect.objectContaining({
          name: 'app',
          image: 'nginx:2',
          env: [{ name: 'A', value: '1' }],
          terminationMessagePath: '/dev/termination-log',
        }),
      ]);
      // A third apply switches to Recreate: kubectl sends $retainKeys and a null rollingUpdate.
      const recreate = manifest('nginx:2', false, { app: 'web', tier: 'fe' }) as ReturnType<
        typeof manifest
      > & {
        spec: { strategy?: unknown };
      };
      recreate.spec.strategy = { type: 'Recreate' };
      writeFileSync(file, JSON.stringify(recreate));
      expect((await kubectl('apply', '-f', file)).stderr).toBe('');
      const after = JSON.parse((await kubectl('get', 'deploy', 'web', '-o', 'json')).stdout) as {
        spec: { strategy: unknown };
      };
      expect(after.spec.strategy).toEqual({ type: 'Recreate' });
    });

    it('patches with all three patch types and labels (kubectl patch, kubectl label)', async () => {
      const cm = join(dir, 'cm.json');
      writeFileSync(
        cm,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings' },
          data: { a: '1', b: '2' },
        }),
      );
      expect((await kubectl('create', '-f', cm)).stderr).toBe('');
      const steps = [
        ['patch', 'cm', 'settings', '-p', '{"data":{"c":"3"}}'],
        ['patch', 'cm', 'settings', '--type=merge', '-p', '{"data":{"a":null}}'],
        [
          'patch',
          'cm',
          'settings',
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/data/b","value":"20"}]',
        ],
        ['label', 'cm', 'settings', 'tier=fe'],
        ['annotate', 'cm', 'settings', 'note=hi'],
      ];
      for (const args of steps) {
        const r = await kubectl(...args);
        expect({ args, stderr: r.stderr }).toEqual({ args, stderr: '' });
      }
      const got = JSON.parse((await kubectl('get', 'cm', 'settings', '-o', 'json')).stdout) as {
        data: Record<string, string>;
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      };
      expect(got.data).toEqual({ b: '20', c: '3' });
      expect(got.metadata.labels).toEqual({ tier: 'fe' });
      expect(got.metadata.annotations).toEqual({ note: 'hi' });
      const bad = await kubectl(
        'patch',
        'cm',
        'settings',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/data/b","value":"nope"}]',
      );
      expect(bad.stderr).toContain(
        'The request is invalid: the server rejected our request due to an error in our request',
      );
    });
  },
);
