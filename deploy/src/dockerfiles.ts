/**
 * The services' Dockerfiles are one template: `renderDockerfile(service)` fills it in from what
 * the repository already says — the package name and the libs it depends on (package.json, so the
 * image ships exactly their dist), the health port (`defaultPort` in src/main.ts) and its env var
 * (`<PREFIX>_HTTP_PORT`) — plus the few facts below that only an image needs. `npm run dockerfiles`
 * writes services/<service>/Dockerfile; deploy/test/dockerfiles-current.spec.ts fails when one
 * differs from what this renders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envPrefix } from '@bosun/service-host';

/** What an image needs beyond what package.json and main.ts say. */
export interface ImageFacts {
  /** Ports besides the health port, and a comment naming each exposed port. */
  readonly extraPorts?: { readonly ports: readonly number[]; readonly comment: string };
  /** Why the image runs as root; without it the image runs as the unprivileged `node` user. */
  readonly rootBecause?: readonly string[];
  /** Debian packages the runtime stage installs. */
  readonly packages?: readonly string[];
}

export const IMAGE_FACTS: Readonly<Record<string, ImageFacts>> = {
  'api-server': {
    extraPorts: {
      ports: [6443, 6444],
      comment:
        'Kubernetes API (API_SERVER_PORT), gRPC API (API_SERVER_GRPC_PORT), health/metrics (API_SERVER_HTTP_PORT)',
    },
  },
  scheduler: {},
  'controller-manager': {},
  'cloud-controller-manager': {},
  'node-agent': {
    extraPorts: {
      ports: [10250],
      comment:
        'health/metrics (NODE_AGENT_HTTP_PORT), NodeAgentService for logs/exec (NODE_AGENT_GRPC_PORT)',
    },
    rootBecause: [
      'runc creates namespaces, cgroups and mounts, and pod networking needs',
      'CAP_NET_ADMIN. Run the container privileged (docker-compose.yml does) or use the process runtime.',
    ],
    packages: ['runc', 'conmon', 'iproute2', 'mount', 'ca-certificates'],
  },
  proxy: {
    rootBecause: [
      'the proxy programs service virtual IPs and netfilter rules (CAP_NET_ADMIN;',
      'docker-compose.yml adds it). It is a skeleton today and programs nothing yet.',
    ],
  },
  gateway: {},
};

interface PackageJson {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

const readPackage = (root: string, dir: string): PackageJson =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson;

/** The services with a package.json under services/, sorted. */
export function serviceNames(root: string): string[] {
  return readdirSync(join(root, 'services'))
    .filter((s) => existsSync(join(root, 'services', s, 'package.json')))
    .sort();
}

/** The lib folders a package depends on at run time, transitively (`libs/<name>`), sorted. */
export function libClosure(root: string, dir: string): string[] {
  const libByName = new Map(
    readdirSync(join(root, 'libs'))
      .filter((d) => existsSync(join(root, 'libs', d, 'package.json')))
      .map((d) => [readPackage(root, `libs/${d}`).name, `libs/${d}`] as const),
  );
  const seen = new Set<string>();
  const visit = (from: string): void => {
    for (const dep of Object.keys(readPackage(root, from).dependencies ?? {})) {
      const lib = libByName.get(dep);
      if (lib && !seen.has(lib)) {
        seen.add(lib);
        visit(lib);
      }
    }
  };
  visit(dir);
  return [...seen].sort();
}

function healthPort(root: string, service: string): number {
  const main = readFileSync(join(root, 'services', service, 'src', 'main.ts'), 'utf8');
  const port = /defaultPort: (\d+)/.exec(main)?.[1];
  if (!port) throw new Error(`services/${service}/src/main.ts declares no defaultPort`);
  return Number(port);
}

export const dockerfilePath = (root: string, service: string): string =>
  join(root, 'services', service, 'Dockerfile');

/** The Dockerfile of one service, as services/<service>/Dockerfile must read. */
export function renderDockerfile(root: string, service: string): string {
  const facts = IMAGE_FACTS[service];
  if (!facts) throw new Error(`deploy/src/dockerfiles.ts has no IMAGE_FACTS for "${service}"`);
  const dir = `services/${service}`;
  const pkg = readPackage(root, dir);
  const libs = libClosure(root, dir);
  const port = healthPort(root, service);
  const portVar = `${envPrefix(service)}_HTTP_PORT`;
  const ports = [port, ...(facts.extraPorts?.ports ?? [])];
  const lines = [
    '# syntax=docker/dockerfile:1',
    `# ${service}: build context is the repository root (\`docker build -f ${dir}/Dockerfile .\`).`,
    '# Generated from deploy/src/dockerfiles.ts by `npm run dockerfiles`: change the template, not this file.',
    '# Checked by deploy/test/dockerfiles.spec.ts (stages, user, health check, ports, paths).',
    '',
    'FROM node:20-slim AS build',
    'WORKDIR /repo',
    'ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true',
    'COPY package.json package-lock.json nx.json tsconfig.base.json ./',
    'COPY proto ./proto',
    'COPY libs ./libs',
    'COPY services ./services',
    'RUN npm ci --no-audit --no-fund',
    `# This service and, through Nx's \`dependsOn: ^build\`, the libs it uses: ${libs.map((l) => l.slice('libs/'.length)).join(', ')}.`,
    `RUN npx nx run ${pkg.name}:build`,
    '# Production dependencies only, then package.json + dist of this service and its libs (the',
    '# workspace links in node_modules/@bosun point at them).',
    'RUN npm prune --omit=dev --no-audit --no-fund \\',
    ' && mkdir -p /out \\',
    ` && for d in ${[...libs, dir].join(' ')}; do \\`,
    '      mkdir -p "/out/$d" && cp "$d/package.json" "/out/$d/" && cp -r "$d/dist" "/out/$d/"; \\',
    '    done',
    '',
    'FROM node:20-slim AS runtime',
    ...(facts.packages
      ? [
          'RUN apt-get update \\',
          ` && apt-get install -y --no-install-recommends ${facts.packages.join(' ')} \\`,
          ' && rm -rf /var/lib/apt/lists/*',
        ]
      : []),
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    'COPY --from=build /repo/package.json ./',
    'COPY --from=build /repo/node_modules ./node_modules',
    ...(libs.includes('libs/proto')
      ? [
          '# gRPC: @bosun/proto loads the .proto files at run time.',
          'COPY --from=build /repo/proto ./proto',
        ]
      : []),
    'COPY --from=build /out/ ./',
    ...(facts.rootBecause
      ? [
          `# root, on purpose: ${facts.rootBecause[0]}`,
          ...facts.rootBecause.slice(1).map((l) => `# ${l}`),
          'USER root',
        ]
      : [
          "# The image's unprivileged `node` user (uid 1000); /var/lib/bosun/home is where a mounted",
          '# BOSUN_HOME (CA, tokens, kubeconfigs) lives, owned by it so a fresh volume is writable.',
          'RUN mkdir -p /var/lib/bosun/home && chown -R node:node /var/lib/bosun',
          'USER node',
        ]),
    ...(facts.extraPorts ? [`# ${facts.extraPorts.comment}`] : []),
    `EXPOSE ${ports.join(' ')}`,
    '# service-host closes its servers on SIGTERM and exits 0.',
    'STOPSIGNAL SIGTERM',
    'HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.${portVar}||'${port}')+'/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]`,
    `CMD ["node", "${dir}/dist/main.js"]`,
  ];
  return lines.join('\n') + '\n';
}
