import { randomBytes } from 'node:crypto';

/** The NATS server for integration tests: `NATS_URL`, else the default local port. */
export function natsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

/** A stream/subject prefix of its own, so tests sharing one NATS server never see each other. */
export function uniquePrefix(base = 't'): string {
  return `${base}${randomBytes(5).toString('hex')}`;
}
