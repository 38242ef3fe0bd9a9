/**
 * `@bosun/api-server-service/testing`: the real api-server for other projects' tests and
 * benchmarks — in this process on its own Postgres schema, or as a child process. Test code only:
 * production code reaches the api-server over REST and gRPC like any client.
 */
export {
  KUBECTL,
  kubectlAvailable,
  startTestApiServer,
  type TestApiServer,
} from '../test/test-api-server';
export {
  startServerProcess,
  stopServerProcess,
  type Endpoint,
} from '../bench/start-server-process';
