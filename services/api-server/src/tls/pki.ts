import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const DEFAULT_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;

/** The PEM material the HTTPS server and the kubeconfig need. */
export interface ServingPki {
  readonly caCertPem: string;
  /**
   * The serving certificate followed by the CA's: servers send the whole chain, so a joining node
   * can pick the CA out of the handshake and check it against `--ca-cert-hash` (as kubeadm pins
   * it) before it trusts anything. `apiserver.crt` on disk holds the serving certificate alone.
   */
  readonly certPem: string;
  readonly keyPem: string;
}

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  cert: 'apiserver.crt',
  key: 'apiserver.key',
} as const;

/**
 * Loads the CA and serving certificate from `dir`, creating them on first start. Reusing them on
 * later starts keeps every kubeconfig written before valid. Files are written 0600.
 */
export async function ensureServingPki(
  dir: string,
  extraHosts: readonly string[] = [],
): Promise<ServingPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = Object.fromEntries(
    Object.entries(FILES).map(([k, f]) => [k, join(dir, f)]),
  ) as Record<keyof typeof FILES, string>;
  if (Object.values(paths).every((p) => existsSync(p))) {
    const [caCertPem, certPem, keyPem] = await Promise.all([
      readFile(paths.caCert, 'utf8'),
      readFile(paths.cert, 'utf8'),
      readFile(paths.key, 'utf8'),
    ]);
    const hosts = [...DEFAULT_HOSTS, ...extraHosts];
    if (certCoversHosts(certPem, hosts)) {
      return { caCertPem, certPem: withCa(certPem, caCertPem), keyPem };
    }
  }
  const ca = await loadOrCreateCa(paths.caCert, paths.caKey);
  const serving = await issueServingCert(ca, [...DEFAULT_HOSTS, ...extraHosts]);
  await writeSecret(paths.cert, serving.certPem);
  await writeSecret(paths.key, serving.keyPem);
  return {
    caCertPem: ca.certPem,
    certPem: withCa(serving.certPem, ca.certPem),
    keyPem: serving.keyPem,
  };
}

const withCa = (certPem: string, caCertPem: string): string =>
  `${certPem.trimEnd()}\n${caCertPem.trimEnd()}\n`;

interface Ca {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  readonly key: CryptoKey;
}

async function loadOrCreateCa(certPath: string, keyPath: string): Promise<Ca> {
  if (existsSync(certPath) && existsSync(keyPath)) {
    const certPem = await readFile(certPath, 'utf8');
    const key = await importPkcs8(await readFile(keyPath, 'utf8'));
    return { cert: new x509.X509Certificate(certPem), certPem, key };
  }
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=bosun-ca',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  await writeSecret(certPath, certPem);
  await writeSecret(keyPath, await exportPkcs8(keys.privateKey));
  return { cert, certPem, key: keys.privateKey };
}

async function issueServingCert(
  ca: Ca,
  hosts: readonly string[],
): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const names = [...new Set(hosts)].map((h) =>
    isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=bosun-apiserver',
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingKey: ca.key,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPkcs8(keys.privateKey) };
}

function certCoversHosts(certPem: string, hosts: readonly string[]): boolean {
  try {
    const cert = new x509.X509Certificate(certPem);
    if (cert.notAfter.getTime() < Date.now() + 24 * 3600 * 1000) return false;
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const values = new Set((san?.names.toJSON() ?? []).map((n) => n.value));
    return hosts.every((h) => values.has(h));
  } catch {
    return false;
  }
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trim()}\n-----END PRIVATE KEY-----\n`;
}

async function importPkcs8(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), ALG, true, ['sign']);
}

function serial(): string {
  // Positive, non-zero serial: the top bit cleared so DER does not read it as negative.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Writes a file readable by its owner only. */
export async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing one may have been looser.
  await chmod(path, 0o600);
}
