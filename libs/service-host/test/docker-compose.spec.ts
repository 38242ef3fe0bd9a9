import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envPrefix } from '../src';

// `docker compose` cannot run here (no engine), so this checks the file's structure instead: the
// contract between the compose file, the Dockerfiles and service-host's env var names.

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const root = join(__dirname, '..', '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const bosunServices = [
  'api-server',
  'scheduler',
  'controller-manager',
  'cloud-controller-manager',
  'node-agent',
  'proxy',
  'gateway',
];

describe('docker-compose.yml', () => {
  it('runs postgres 15 and NATS with JetStream, each with a health check and a volume', () => {
    const { postgres, nats } = compose.services;
    expect(postgres.image).toBe('postgres:15');
    expect(nats.command).toContain('-js');
    for (const infra of [postgres, nats]) {
      expect(infra.healthcheck?.test.length).toBeGreaterThan(0);
      const named = (infra.volumes ?? []).map((v) => v.split(':')[0]);
      expect(named.length).toBeGreaterThan(0);
      for (const v of named) expect(Object.keys(compose.volumes)).toContain(v);
    }
  });

  it('has exactly the infrastructure plus the seven services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['nats', 'postgres', ...bosunServices].sort(),
    );
  });

  it.each(bosunServices)(
    '%s builds from its Dockerfile and waits for healthy dependencies',
    (name) => {
      const svc = compose.services[name];
      expect(svc.build?.context).toBe('.');
      expect(svc.build?.dockerfile).toBe(`services/${name}/Dockerfile`);
      expect(existsSync(join(root, svc.build!.dockerfile))).toBe(true);
      expect(svc.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      expect(svc.depends_on?.nats).toEqual({ condition: 'service_healthy' });
      if (name !== 'api-server')
        expect(svc.depends_on?.['api-server']).toEqual({ condition: 'service_healthy' });
      expect(svc.environment?.NATS_URL).toBe('nats://nats:4222');
    },
  );

  it.each(bosunServices)(
    '%s health check probes the port service-host reads from its env',
    (name) => {
      const svc = compose.services[name];
      const port = svc.environment?.[`${envPrefix(name)}_HTTP_PORT`];
      expect(port).toMatch(/^\d+$/);
      expect(svc.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/readyz`);
    },
  );

  it('gives the database URL only to the api-server, the one process that owns Postgres', () => {
    const withDb = bosunServices.filter((n) => compose.services[n].environment?.DATABASE_URL);
    expect(withDb).toEqual(['api-server']);
  });
});
