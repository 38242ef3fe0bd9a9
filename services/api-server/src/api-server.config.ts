import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';

const port = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 0 || n > 65535) throw new Error('a port number 0-65535');
  return n;
};

const positiveInt = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 1) throw new Error('an integer of at least 1');
  return n;
};

const hostList = (raw: string): string[] =>
  raw
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);

/** `.bosun/` in the repository root (this file sits at services/api-server/{src,dist}/). */
export const DEFAULT_BOSUN_HOME = join(__dirname, '..', '..', '..', '.bosun');

/** The api-server's own config, validated at start-up with the host's fields. */
export const apiServerConfig = {
  apiPort: {
    env: 'API_SERVER_PORT',
    default: 6443,
    parse: port,
    describe: 'HTTPS port of the Kubernetes API (0 picks a free one)',
  } satisfies FieldSpec<number>,
  grpcPort: {
    env: 'API_SERVER_GRPC_PORT',
    default: 6444,
    parse: port,
    describe: 'TLS port of the gRPC API (ResourceService, ControlPlaneService; 0 picks a free one)',
  } satisfies FieldSpec<number>,
  apiHost: {
    env: 'API_SERVER_BIND',
    default: '127.0.0.1',
    parse: parsers.string,
    describe: 'address the Kubernetes API binds to',
  } satisfies FieldSpec<string>,
  tlsHosts: {
    env: 'API_SERVER_TLS_HOSTS',
    default: [] as string[],
    parse: hostList,
    describe: 'extra host names / IPs for the serving certificate, comma separated',
  } satisfies FieldSpec<string[]>,
  home: {
    env: 'BOSUN_HOME',
    default: DEFAULT_BOSUN_HOME,
    parse: parsers.string,
    describe: 'directory for the CA, serving certificate, admin token and kubeconfig',
  } satisfies FieldSpec<string>,
  tokenAuthFile: {
    env: 'API_SERVER_TOKEN_AUTH_FILE',
    default: '',
    parse: (raw: string): string => raw.trim(),
    describe:
      'operator-managed static token file (token,user,uid,"groups"); empty: <BOSUN_HOME>/tokens.csv with a token per control-plane component',
  } satisfies FieldSpec<string>,
  compactionInterval: {
    env: 'API_SERVER_COMPACTION_INTERVAL',
    default: 5 * 60_000,
    parse: parsers.duration,
    describe: 'how often the event log is compacted (a duration: 5m, 1h; 0 = never)',
  } satisfies FieldSpec<number>,
  historyRetention: {
    env: 'API_SERVER_HISTORY_RETENTION',
    default: 7 * 24 * 3_600_000,
    parse: parsers.duration,
    describe:
      'how long every version of every object is kept (bosun history, watches from old revisions); older versions are compacted away',
  } satisfies FieldSpec<number>,
  maxRequestsInflight: {
    env: 'API_SERVER_MAX_REQUESTS_INFLIGHT',
    default: 800,
    parse: positiveInt,
    describe:
      'most ordinary (not long-running) requests served at once; more answer 429 with Retry-After',
  } satisfies FieldSpec<number>,
  maxLongRunningRequests: {
    env: 'API_SERVER_MAX_LONG_RUNNING_REQUESTS',
    default: 1000,
    parse: positiveInt,
    describe:
      'most watches, log follows, event-log follows and exec sessions served at once; more answer 429 with Retry-After',
  } satisfies FieldSpec<number>,
  requestTimeout: {
    env: 'API_SERVER_REQUEST_TIMEOUT',
    default: 60_000,
    parse: parsers.duration,
    describe:
      'deadline of an ordinary request (a duration; 504 Timeout past it; 0 = none); long-running requests are exempt',
  } satisfies FieldSpec<number>,
  storeStatementTimeout: {
    env: 'API_SERVER_STORE_STATEMENT_TIMEOUT',
    default: 30_000,
    parse: parsers.duration,
    describe:
      "Postgres statement_timeout of the store's reads (a duration; 0 = none); the writer is exempt",
  } satisfies FieldSpec<number>,
  storeMaxQueuedWrites: {
    env: 'API_SERVER_STORE_MAX_QUEUED_WRITES',
    default: 5000,
    parse: positiveInt,
    describe: 'most writes waiting for the group commit; more answer 429 with Retry-After',
  } satisfies FieldSpec<number>,
  databaseUrl: {
    env: 'DATABASE_URL',
    default: 'postgres://postgres@127.0.0.1:5432/postgres',
    parse: parsers.url,
    describe: 'Postgres connection string of the store',
  } satisfies FieldSpec<string>,
  databaseSchema: {
    env: 'DATABASE_SCHEMA',
    default: 'bosun',
    parse: parsers.string,
    describe: 'Postgres schema holding the store tables',
  } satisfies FieldSpec<string>,
  natsUrl: {
    env: 'NATS_URL',
    default: 'nats://127.0.0.1:4222',
    parse: parsers.url,
    describe: 'NATS JetStream server the event-log relay publishes to',
  } satisfies FieldSpec<string>,
  natsPrefix: {
    env: 'NATS_PREFIX',
    default: 'bosun',
    parse: parsers.string,
    describe: 'stream and subject prefix of the event log on NATS',
  } satisfies FieldSpec<string>,
};
