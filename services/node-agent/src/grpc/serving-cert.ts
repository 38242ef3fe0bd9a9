// @peculiar/x509 (through tsyringe) needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface ServingCert {
  readonly certPem: string;
  readonly keyPem: string;
}

type SelfSignedParams = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0];

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * A self-signed serving certificate for the node agent's gRPC endpoint. The agent has the
 * cluster CA's certificate but not its key, so it cannot get a CA-signed one on its own; it
 * publishes this certificate in its Node object instead and the api-server trusts exactly it
 * (pinning), which needs no hostname to match the address it dials.
 */
export async function selfSignedServingCert(
  nodeName: string,
  addresses: readonly string[] = [],
): Promise<ServingCert> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const names: x509.JsonGeneralName[] = [
    { type: 'dns', value: nodeName },
    ...addresses.map((a) => ({ type: 'ip' as const, value: a })),
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=system:node:${nodeName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    signingAlgorithm: ALG,
    keys: keys as unknown as SelfSignedParams['keys'],
    extensions: [
      // Its own trust anchor: OpenSSL accepts a self-signed CA certificate as a pinned root.
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { certPem: cert.toString('pem'), keyPem };
}

/**
 * The serving certificate kept under `dir` (`serving.crt`, `serving.key` 0600), created on first
 * use, so a restarted agent keeps the certificate its Node already publishes.
 */
export async function loadOrCreateServingCert(
  dir: string,
  nodeName: string,
  addresses: readonly string[] = [],
): Promise<ServingCert> {
  const certPath = join(dir, 'serving.crt');
  const keyPath = join(dir, 'serving.key');
  const [certPem, keyPem] = await Promise.all([
    readFile(certPath, 'utf8').catch(() => undefined),
    readFile(keyPath, 'utf8').catch(() => undefined),
  ]);
  if (certPem && keyPem) return { certPem, keyPem };
  const created = await selfSignedServingCert(nodeName, addresses);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, created.keyPem, { mode: 0o600 });
  await writeFile(certPath, created.certPem);
  return created;
}
