import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from './test-api-server';

describe('@kubernetes/client-node against the api-server (integration: Postgres)', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer();
  }, 60_000);
  afterAll(() => api?.stop());

  it('does CRUD, gets 409 for a stale replace, and resumes a watch from a resourceVersion', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(__dirname, 'client-node', 'crud-and-watch.mjs')],
        { env: { ...process.env, KUBECONFIG: api.kubeconfigPath }, timeout: 60_000 },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).toEqual({
      createdName: 'cn',
      readData: { a: '1' },
      replacedData: { a: '2' },
      patchedData: { a: '2', b: '3' },
      listed: ['cn'],
      staleReplace: 409,
      watched: ['MODIFIED:cn:x', 'DELETED:cn:x'],
    });
  });
});
