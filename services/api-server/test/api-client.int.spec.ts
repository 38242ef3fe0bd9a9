import {
  ApiClient,
  loadKubeconfig,
  PatchType,
  type KubeObject,
  type WatchEvent,
} from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { startTestApiServer, type TestApiServer } from './test-api-server';

describe('@bosun/api-client against the api-server (integration: Postgres)', () => {
  let api: TestApiServer;
  let client: ApiClient;
  const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };

  beforeAll(async () => {
    api = await startTestApiServer();
    client = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      return isBosunError(e) ? e.code : String(e);
    }
  };

  it('does CRUD through the kubeconfig and maps failures to error codes', async () => {
    expect(client.defaultNamespace).toBe('default');
    const created = await client.create<KubeObject>(cms, {
      metadata: { name: 'ac' },
      data: { a: '1' },
    });
    expect(await codeOf(client.create(cms, { metadata: { name: 'ac' } }))).toBe(
      ErrorCode.AlreadyExists,
    );
    const patched = await client.patch<KubeObject>(
      cms,
      'ac',
      { data: { b: '2' } },
      PatchType.Merge,
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
    expect(await codeOf(client.update(cms, created))).toBe(ErrorCode.Conflict);
    expect((await client.list(cms, { fieldSelector: 'metadata.name=ac' })).items).toHaveLength(1);
    await client.delete(cms, 'ac');
    expect(await codeOf(client.get(cms, 'ac'))).toBe(ErrorCode.NotFound);
  });

  it('watches from a resourceVersion and reports a compacted one as Gone', async () => {
    const first = await client.create<KubeObject>(cms, { metadata: { name: 'w1' } });
    await client.create(cms, { metadata: { name: 'w2' } });
    const abort = new AbortController();
    const seen: WatchEvent[] = [];
    for await (const e of client.watch(
      cms,
      { resourceVersion: first.metadata.resourceVersion },
      abort.signal,
    )) {
      seen.push(e);
      if (seen.length === 1) await client.delete(cms, 'w1');
      if (seen.length === 2) abort.abort();
    }
    expect(seen.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual([
      'ADDED:w2',
      'DELETED:w1',
    ]);
    await api.store.compact({ keepRevisions: 1 });
    const gone = (async () => {
      for await (const _ of client.watch(cms, { resourceVersion: '1' })) void _;
    })();
    expect(await codeOf(gone)).toBe(ErrorCode.Gone);
  });
});
