import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTestSchema, type TestSchema } from '@bosun/testing';
import { startApiServer } from '../src/api-server';

describe('api-server restart (integration: Postgres)', () => {
  let schema: TestSchema;
  let home: string;
  beforeAll(async () => {
    schema = await createTestSchema('restart');
    home = await mkdtemp(join(tmpdir(), 'bosun-restart-'));
  });
  afterAll(async () => {
    await schema?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('keeps its CA and admin token, rewrites a 0600 kubeconfig, and still has the objects', async () => {
    const opts = {
      home,
      port: 0,
      store: { url: schema.url, schema: schema.schema },
      log: pino({ level: 'silent' }),
    };
    const first = await startApiServer(opts);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'survivor', namespace: 'default' },
    };
    await first.store.create({ group: '', resource: 'configmaps', namespaced: true }, cm);
    await first.stop();
    const second = await startApiServer(opts);
    try {
      expect(second.token).toBe(first.token);
      expect(second.caCertPem).toBe(first.caCertPem);
      expect((await stat(second.kubeconfigPath)).mode & 0o777).toBe(0o600);
      expect(await readFile(second.kubeconfigPath, 'utf8')).toContain(second.url);
      const got = await second.store.get(
        { group: '', resource: 'configmaps', namespaced: true },
        'default',
        'survivor',
      );
      expect(got.metadata.name).toBe('survivor');
    } finally {
      await second.stop();
    }
  });
});
