import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

/**
 * kubeadm's `--discovery-token-ca-cert-hash`: `sha256:` and the hex SHA-256 of the CA
 * certificate's DER SubjectPublicKeyInfo. It pins the CA without trusting the network: the joining
 * node fetches the server's chain unverified and keeps only the CA whose key hashes to the pin.
 */
export const CA_CERT_HASH_PATTERN = /^sha256:([0-9a-f]{64})$/;

export function caCertHash(cert: X509Certificate): string {
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

export function parseCaCertHash(text: string): string {
  const normalized = text.toLowerCase();
  if (!CA_CERT_HASH_PATTERN.test(normalized)) {
    throw new Error(
      `invalid --ca-cert-hash ${JSON.stringify(text)}: expected sha256:<64 hex digits> (as printed by \`bosun token create --print-join-command\`)`,
    );
  }
  return normalized;
}

/** The first certificate of a PEM text; a clear error when there is none. */
export function readPemCertificate(pem: string, source: string): X509Certificate {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (block === null) throw new Error(`${source} holds no PEM certificate`);
  try {
    return new X509Certificate(block[0]);
  } catch (e) {
    throw new Error(`${source} holds no valid certificate: ${(e as Error).message}`);
  }
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export function endpointOf(url: URL): Endpoint {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port === '' ? 443 : Number(url.port) };
}

const servername = (host: string): string | undefined => (isIP(host) ? undefined : host);

/**
 * Every certificate the server presents in its TLS handshake, leaf first — read without trusting
 * any of them (which is the point: they are checked against the pin afterwards).
 */
export function fetchPresentedChain(ep: Endpoint, timeoutMs = 10_000): Promise<X509Certificate[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: ep.host,
      port: ep.port,
      servername: servername(ep.host),
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (e: Error): void => {
      socket.destroy();
      reject(new Error(`cannot reach the api-server at ${ep.host}:${ep.port}: ${e.message}`));
    };
    socket.once('timeout', () => fail(new Error(`no TLS handshake within ${timeoutMs / 1000} s`)));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = [];
      const seen = new Set<string>();
      let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw));
        cert = (cert as DetailedPeerCertificate).issuerCertificate;
      }
      socket.end();
      resolve(chain);
    });
  });
}

/** The CA in `chain` whose key matches one of `pins`, or an error that says what was found. */
export function pickPinnedCa(
  chain: readonly X509Certificate[],
  pins: readonly string[],
): X509Certificate {
  const match = chain.find((c) => c.ca && pins.includes(caCertHash(c)));
  if (match) return match;
  const seen = chain.map(
    (c) => `  ${c.subject.replace(/\n/g, ', ')}: ${caCertHash(c)}${c.ca ? ' (CA)' : ''}`,
  );
  throw new Error(
    `the api-server's certificates do not match --ca-cert-hash ${pins.join(', ')}: refusing to join.\n` +
      `It presented:\n${seen.join('\n')}\n` +
      'Check the hash (`bosun token create --print-join-command` on the control plane prints it) and the address: you may be talking to another server.',
  );
}

/**
 * Opens one TLS connection that trusts only `caPem` and checks the server's name — proves the
 * server holds a certificate that CA issued for this address.
 */
export function verifyServerWithCa(ep: Endpoint, caPem: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: ep.host,
      port: ep.port,
      servername: servername(ep.host),
      ca: caPem,
      rejectUnauthorized: true,
      timeout: timeoutMs,
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no TLS handshake with ${ep.host}:${ep.port} within ${timeoutMs / 1000} s`));
    });
    socket.once('error', (e) => {
      socket.destroy();
      reject(
        new Error(
          `the api-server at ${ep.host}:${ep.port} is not trusted with the given CA: ${e.message}`,
        ),
      );
    });
    socket.once('secureConnect', () => {
      socket.end();
      resolve();
    });
  });
}
