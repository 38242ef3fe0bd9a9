import { join } from 'node:path';
import { parsers, type FieldSpec } from '@bosun/common';

const port = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 0 || n > 65535) throw new Error('a port number 0-65535');
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
