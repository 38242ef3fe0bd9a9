import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureAdminToken } from '../auth/token-authenticator';
import { writeKubeconfig } from '@bosun/api-client';
import { ensureServingPki } from './pki';

describe('serving PKI, admin token and kubeconfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-pki-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a CA and a serving cert for loopback names, signed by the CA, files 0600', async () => {
    const pki = await ensureServingPki(dir, ['api.example.test', '10.1.2.3']);
    const ca = new X509Certificate(pki.caCertPem);
    const cert = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('api.example.test')).toBe('api.example.test');
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    // The chain the servers send ends with the CA, for --ca-cert-hash pinning by joining nodes.
    const chain = pki.certPem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
    expect(chain?.map((c) => new X509Certificate(c).subject)).toEqual([cert.subject, ca.subject]);
    for (const f of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key']) {
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses everything on the next start, and re-issues only the serving cert for new hosts', async () => {
    const first = await ensureServingPki(dir);
    const again = await ensureServingPki(dir);
    expect(again).toEqual(first);
    const wider = await ensureServingPki(dir, ['new.example.test']);
    expect(wider.caCertPem).toBe(first.caCertPem);
    expect(wider.certPem).not.toBe(first.certPem);
    expect(
      new X509Certificate(wider.certPem).verify(new X509Certificate(first.caCertPem).publicKey),
    ).toBe(true);
  });

  it('generates the admin token once and writes a kubeconfig that carries it and the CA', async () => {
    const path = join(dir, 'admin.token');
    const token = await ensureAdminToken(path);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(await ensureAdminToken(path)).toBe(token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const pki = await ensureServingPki(dir);
    await writeKubeconfig(join(dir, 'kubeconfig'), {
      server: 'https://127.0.0.1:6443',
      caPem: pki.caCertPem,
      token,
    });
    const kc = parse(await readFile(join(dir, 'kubeconfig'), 'utf8'));
    expect(kc.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(
      Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
    ).toBe(pki.caCertPem);
    expect(kc.users[0].user.token).toBe(token);
  });
});
