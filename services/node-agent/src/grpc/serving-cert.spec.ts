import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateServingCert } from './serving-cert';

describe('node agent serving certificate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosun-na-cert-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is self-signed for the node name and its addresses, kept across restarts, key 0600', async () => {
    const first = await loadOrCreateServingCert(join(dir, 'tls'), 'node-1', ['10.1.2.3']);
    const cert = new X509Certificate(first.certPem);
    expect(cert.subject).toBe('CN=system:node:node-1');
    expect(cert.subjectAltName).toBe('DNS:node-1, IP Address:10.1.2.3');
    expect(cert.checkIssued(cert)).toBe(true);
    expect((await stat(join(dir, 'tls', 'serving.key'))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateServingCert(join(dir, 'tls'), 'node-1')).toEqual(first);
  });
});
