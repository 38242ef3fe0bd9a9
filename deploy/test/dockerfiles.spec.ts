import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envPrefix } from '@bosun/service-host';

// No Docker engine here: each Dockerfile is parsed and checked against the repository instead.

const root = join(__dirname, '..', '..');
const services = readdirSync(join(root, 'services')).filter((s) =>
  existsSync(join(root, 'services', s, 'package.json')),
);
/** Components that must run as root, and why (also said in their Dockerfile). */
const ROOT_ONLY: Record<string, string> = {
  'node-agent': 'runc: namespaces, cgroups, mounts',
  proxy: 'netfilter rules and virtual IPs',
};

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const pkg = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };
const libByName = new Map(
  readdirSync(join(root, 'libs'))
    .filter((d) => existsSync(join(root, 'libs', d, 'package.json')))
    .map((d) => [pkg(`libs/${d}`).name, `libs/${d}`] as const),
);
function libClosure(dir: string, seen = new Set<string>()): Set<string> {
  for (const dep of Object.keys(pkg(dir).dependencies ?? {})) {
    const lib = libByName.get(dep);
    if (lib && !seen.has(lib)) {
      seen.add(lib);
      libClosure(lib, seen);
    }
  }
  return seen;
}
const defaultPort = (service: string): number => {
  const main = readFileSync(join(root, 'services', service, 'src', 'main.ts'), 'utf8');
  return Number(/defaultPort: (\d+)/.exec(main)![1]);
};

describe.each(services)('services/%s/Dockerfile', (service) => {
  const file = join(root, 'services', service, 'Dockerfile');
  const ins = parseDockerfile(readFileSync(file, 'utf8'));
  const stages = ins.filter((i) => i.op === 'FROM');
  const runtimeAt = ins.findIndex((i) => i.op === 'FROM' && / AS runtime$/i.test(i.args));
  const runtime = ins.slice(runtimeAt);

  it('has a build stage and a node:20-slim runtime stage', () => {
    expect(stages.map((s) => s.args)).toEqual(['node:20-slim AS build', 'node:20-slim AS runtime']);
  });

  it('builds this service with npm ci and nx, from paths that exist', () => {
    const build = ins.slice(0, runtimeAt);
    expect(build.some((i) => i.op === 'RUN' && i.args.includes('npm ci'))).toBe(true);
    expect(
      build.some(
        (i) => i.op === 'RUN' && i.args.includes(`nx run ${pkg(`services/${service}`).name}:build`),
      ),
    ).toBe(true);
    for (const copy of build.filter((i) => i.op === 'COPY')) {
      const paths = copy.args.split(/\s+/).slice(0, -1);
      for (const p of paths)
        expect({ path: p, exists: existsSync(join(root, p)) }).toEqual({ path: p, exists: true });
    }
  });

  it('ships the dist of the service and of every lib it depends on, and only production modules', () => {
    const text = ins.map((i) => i.args).join('\n');
    expect(text).toContain('npm prune --omit=dev');
    for (const lib of libClosure(`services/${service}`)) {
      expect({ lib, shipped: new RegExp(`\\b${lib}\\b`).test(text) }).toEqual({
        lib,
        shipped: true,
      });
    }
    if (libClosure(`services/${service}`).has('libs/proto')) {
      expect(runtime.some((i) => i.op === 'COPY' && i.args.endsWith('./proto'))).toBe(true);
    }
    expect(runtime.at(-1)).toEqual({
      op: 'CMD',
      args: `["node", "services/${service}/dist/main.js"]`,
    });
  });

  it(ROOT_ONLY[service] ? 'runs as root, on purpose' : 'runs as a non-root user', () => {
    const users = runtime.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users).toHaveLength(1);
    if (ROOT_ONLY[service]) expect(users[0]).toBe('root');
    else expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('exposes its health port and health-checks /readyz on it', () => {
    const port = defaultPort(service);
    const exposed = runtime.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toContain(String(port));
    const health = runtime.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toContain(`process.env.${envPrefix(service)}_HTTP_PORT||'${port}'`);
    expect(health).toContain('/readyz');
  });
});

it('finds all seven services', () => {
  expect(services.sort()).toEqual(
    [
      'api-server',
      'cloud-controller-manager',
      'controller-manager',
      'gateway',
      'node-agent',
      'proxy',
      'scheduler',
    ].sort(),
  );
});
