/**
 * The api-server the API benchmark measures, in a process of its own as in production (a load
 * generator in the same process would share its event loop and be charged for the client's own
 * TLS work). Prints one JSON line {url, token, caCertPem} once serving; stops on SIGTERM.
 */
import pino from 'pino';
import { startApiServer } from '../src/api-server';

async function main(): Promise<void> {
  const { BENCH_HOME, BENCH_DB_URL, BENCH_DB_SCHEMA } = process.env;
  if (!BENCH_HOME || !BENCH_DB_URL || !BENCH_DB_SCHEMA) {
    throw new Error('BENCH_HOME, BENCH_DB_URL and BENCH_DB_SCHEMA are required');
  }
  const api = await startApiServer({
    home: BENCH_HOME,
    port: 0,
    grpcPort: 0,
    store: { url: BENCH_DB_URL, schema: BENCH_DB_SCHEMA },
    log: pino({ level: 'warn' }),
  });
  process.stdout.write(
    JSON.stringify({ url: api.url, token: api.token, caCertPem: api.caCertPem }) + '\n',
  );
  process.once('SIGTERM', () => {
    api.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`api-server for the benchmark failed: ${String(e)}\n`);
  process.exit(1);
});
