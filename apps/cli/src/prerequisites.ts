import { Client } from 'pg';
import { connect } from 'nats';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export interface Problem {
  readonly what: string;
  readonly detail: string;
  readonly fix: string;
}

/** Checks that the cluster's durable store and event log answer; says how to fix each that does not. */
export async function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Promise<Problem[]> {
  const problems: Problem[] = [];
  const dbUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const natsUrl = env.NATS_URL || DEFAULT_NATS_URL;
  const db = new Client({ connectionString: dbUrl, connectionTimeoutMillis: 3000 });
  try {
    await db.connect();
    await db.query('SELECT 1');
  } catch (e) {
    problems.push({
      what: `PostgreSQL at ${redact(dbUrl)}`,
      detail: e instanceof Error ? e.message : String(e),
      fix: env.DATABASE_URL
        ? 'check DATABASE_URL, or unset it to use postgres://postgres@127.0.0.1:5432/test'
        : 'install and start PostgreSQL 15+ (Debian: apt-get install postgresql), or set DATABASE_URL',
    });
  } finally {
    await db.end().catch(() => undefined);
  }
  try {
    const nc = await connect({ servers: natsUrl, timeout: 3000, reconnect: false });
    const jsm = await nc.jetstreamManager().catch((e: unknown) => {
      throw new Error(`JetStream is not enabled (${e instanceof Error ? e.message : e})`);
    });
    await jsm.getAccountInfo();
    await nc.close();
  } catch (e) {
    problems.push({
      what: `NATS JetStream at ${natsUrl}`,
      detail: e instanceof Error ? e.message : String(e),
      fix: env.NATS_URL
        ? 'check NATS_URL, or unset it to use nats://127.0.0.1:4222'
        : 'install and start nats-server with JetStream (Debian: apt-get install nats-server; run nats-server -js), or set NATS_URL',
    });
  }
  return problems;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
