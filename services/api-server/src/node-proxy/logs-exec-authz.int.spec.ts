import WebSocket from 'ws';
import type { Authorizer, ResourceAttributes } from '../auth/authorizer';
import { startTestApiServer, type TestApiServer } from '../../test/test-api-server';

/** Denies pods/log and pods/exec and records what was asked, allowing everything else. */
class RecordingAuthorizer implements Authorizer {
  readonly seen: ResourceAttributes[] = [];
  authorize(_user: unknown, attrs: ResourceAttributes) {
    const sub = attrs.subresource ?? '';
    if (sub === 'log' || sub === 'exec') {
      this.seen.push(attrs);
      return { allowed: false, reason: `denied ${attrs.verb} pods/${sub}` };
    }
    return { allowed: true, reason: 'test' };
  }
}

describe('pods/log and pods/exec authorization (integration: Postgres)', () => {
  let api: TestApiServer;
  const authz = new RecordingAuthorizer();

  beforeAll(async () => {
    api = await startTestApiServer({ authorizer: authz });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('asks for get on pods/log', async () => {
    const r = await api.request('/api/v1/namespaces/default/pods/p/log');
    expect(r.status).toBe(403);
    expect(authz.seen.at(-1)).toMatchObject({
      verb: 'get',
      resource: 'pods',
      subresource: 'log',
      name: 'p',
    });
  });

  it('asks for create on pods/exec before upgrading, and answers 403 as a Status; no token is 401', async () => {
    const url = `${api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=true&stdout=true`;
    const attempt = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ca: api.caCertPem, headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => reject(new Error('upgrade was accepted')));
        ws.on('error', () => undefined);
      });
    expect(await attempt({ Authorization: `Bearer ${api.token}` })).toBe(403);
    expect(authz.seen.at(-1)).toMatchObject({
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      name: 'p',
    });
    expect(await attempt({})).toBe(401);
  });
});
