import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configuredEnvVars } from './env-vars';

// The files in deploy/ cannot be exercised on real hosts here; what can be checked is: systemd
// and nats-server accept them, and they name only components, paths and variables that exist.

const root = join(__dirname, '..', '..');
const deploy = join(root, 'deploy');
const CONTROL_PLANE = ['api-server', 'scheduler', 'controller-manager', 'cloud-controller-manager'];
const WORKER = ['node-agent', 'proxy'];
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const NATS_SERVER = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
].find(existsSync);

const unitPath = (c: string) => join(deploy, 'systemd', `bosun-${c}.service`);
const envPath = (c: string) => join(deploy, 'systemd', 'env', `${c}.env`);
const envFile = (c: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(envPath(c), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
const directives = (c: string, key: string): string[] =>
  readFileSync(unitPath(c), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe.each([...CONTROL_PLANE, ...WORKER])('deploy/systemd: %s', (component) => {
  it('has a unit and an env file', () => {
    expect(existsSync(unitPath(component))).toBe(true);
    expect(existsSync(envPath(component))).toBe(true);
  });

  it('runs the built service with its own env file', () => {
    expect(directives(component, 'ExecStart')).toEqual([
      `/usr/bin/node /opt/bosun/services/${component}/dist/main.js`,
    ]);
    expect(existsSync(join(root, 'services', component, 'src', 'main.ts'))).toBe(true);
    expect(directives(component, 'EnvironmentFile')).toEqual([`/etc/bosun/${component}.env`]);
    expect(directives(component, 'KillSignal')).toEqual(['SIGTERM']);
  });

  it('sets only variables the component reads', () => {
    const known = configuredEnvVars(component);
    for (const key of Object.keys(envFile(component))) {
      expect({ key, known: known.has(key) }).toEqual({ key, known: true });
    }
  });

  if (CONTROL_PLANE.includes(component)) {
    it('runs unprivileged and sandboxed', () => {
      expect(directives(component, 'User')).toEqual(['bosun']);
      expect(directives(component, 'NoNewPrivileges')).toEqual(['true']);
      expect(directives(component, 'ProtectSystem')).toEqual(['strict']);
      expect(directives(component, 'CapabilityBoundingSet')).toEqual(['']);
    });
  }
});

describe('deploy/systemd', () => {
  it('has exactly one unit per control-plane and worker component', () => {
    const units = readdirSync(join(deploy, 'systemd')).filter((f) => f.endsWith('.service'));
    expect(units.sort()).toEqual(
      [...CONTROL_PLANE, ...WORKER].map((c) => `bosun-${c}.service`).sort(),
    );
  });

  it('lets the node agent keep its containers across a restart and run runc as root', () => {
    expect(directives('node-agent', 'User')).toEqual([]);
    expect(directives('node-agent', 'KillMode')).toEqual(['process']);
  });

  const verify = existsSync(SYSTEMD_ANALYZE) ? it : it.skip;
  if (!existsSync(SYSTEMD_ANALYZE)) console.warn(`SKIPPED: ${SYSTEMD_ANALYZE} is missing`);
  verify('systemd-analyze verify accepts every unit without a warning', () => {
    for (const c of [...CONTROL_PLANE, ...WORKER]) {
      const r = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', unitPath(c)], {
        encoding: 'utf8',
      });
      expect({ unit: c, status: r.status, stderr: r.stderr.trim() }).toEqual({
        unit: c,
        status: 0,
        stderr: '',
      });
    }
  });
});

describe('deploy/nats', () => {
  const files = ['nats-1.conf', 'nats-2.conf', 'nats-3.conf'];

  const check = NATS_SERVER ? it : it.skip;
  if (!NATS_SERVER) console.warn('SKIPPED: nats-server is missing');
  check.each(files)('nats-server -t accepts %s', (file) => {
    const out = execFileSync(NATS_SERVER!, ['-t', '-c', join(deploy, 'nats', file)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBeDefined();
  });

  check('nats-server -t rejects a broken config (the check can fail)', () => {
    const r = spawnSync(NATS_SERVER!, ['-t', '-c', '/dev/stdin'], {
      input: 'jetstream {\n',
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
  });

  it('is three JetStream servers with distinct names, one cluster, routes to all three', () => {
    const configs = files.map((f) => readFileSync(join(deploy, 'nats', f), 'utf8'));
    const names = configs.map((c) => /^server_name: (\S+)/m.exec(c)?.[1]);
    expect(new Set(names).size).toBe(3);
    for (const c of configs) {
      expect(c).toMatch(/^jetstream \{/m);
      expect(c).toMatch(/^ {2}name: bosun$/m);
      expect(c.match(/nats-route:\/\//g)).toHaveLength(3);
    }
  });
});
