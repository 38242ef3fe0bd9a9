import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@bosun/testing';
import type { Output } from '../output';
import type { EventLogLine, StreamEventsOptions } from '@bosun/api-client';
import { events } from './events';

const capture = (): Output & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (l) => lines.push(l),
    error: (l) => errors.push(l),
    progress: () => undefined,
  };
};

const ev = (revision: number, over: Partial<EventLogLine> = {}): EventLogLine => ({
  revision,
  type: 'ADDED',
  resource: 'deployments',
  group: 'apps',
  namespace: 'default',
  name: 'web',
  actor: 'admin',
  time: '2030-01-01T10:00:00.5Z',
  object: { kind: 'Deployment', metadata: { name: 'web' } },
  ...over,
});

describe('bosun events (against a fake log)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bosun-events-'));
    writeFileSync(
      join(dir, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    env = { KUBECONFIG: join(dir, 'kubeconfig') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fake =
    (items: EventLogLine[], seen: StreamEventsOptions[] = []) =>
    () => ({
      async *streamEvents(opts: StreamEventsOptions) {
        seen.push(opts);
        for (const e of items) yield e;
      },
    });

  it('prints a table of the log and passes --after/--limit through', async () => {
    const out = capture();
    const seen: StreamEventsOptions[] = [];
    const items = [
      ev(7),
      ev(8, { type: 'MODIFIED' as const, actor: 'system:kube-controller-manager' }),
      ev(9, {
        resource: 'nodes',
        group: '',
        namespace: '',
        name: 'n1',
        object: { metadata: { name: 'n1' } },
      }),
    ];
    expect(
      await events(['--after', '6', '--limit', '3'], env, out, { source: fake(items, seen) }),
    ).toBe(0);
    expect(seen[0]).toMatchObject({ after: 6, limit: 3, follow: false });
    expect(out.lines).toEqual([
      'REVISION   TIME                   ACTOR                            TYPE       KIND         NAMESPACE/NAME',
      '7          2030-01-01T10:00:00Z   admin                            ADDED      Deployment   default/web',
      '8          2030-01-01T10:00:00Z   system:kube-controller-manager   MODIFIED   Deployment   default/web',
      '9          2030-01-01T10:00:00Z   admin                            ADDED      nodes        n1',
    ]);
  });

  it('prints one JSON object per line with -o json', async () => {
    const out = capture();
    expect(await events(['-o', 'json'], env, out, { source: fake([ev(1), ev(2)]) })).toBe(0);
    expect(out.lines.map((l) => (JSON.parse(l) as EventLogLine).revision)).toEqual([1, 2]);
  });

  it('follows until interrupted, then exits 0', async () => {
    const out = capture();
    const ac = new AbortController();
    const source = () => ({
      async *streamEvents(opts: StreamEventsOptions) {
        yield ev(1);
        await new Promise((_, reject) => {
          if (opts.signal?.aborted) reject(new Error('aborted'));
          opts.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        });
      },
    });
    const done = events(['-f'], env, out, { source, signal: ac.signal });
    await waitFor(() => out.lines.length === 2);
    ac.abort();
    expect(await done).toBe(0);
    expect(out.lines[0]).toMatch(/^REVISION +TIME +ACTOR +TYPE +KIND +NAMESPACE\/NAME$/);
    expect(out.lines[1]).toMatch(
      /^1 +2030-01-01T10:00:00Z +admin +ADDED +Deployment +default\/web$/,
    );
  });

  it.each([
    [['--after', 'x'], /invalid argument "x" for "--after" flag/],
    [['--limit', '0'], /must be at least 1/],
    [['-o', 'yaml'], /allowed formats are: table,json/],
    [['--folow'], /unknown flag: --folow/],
    [['extra'], /unexpected argument "extra"/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const out = capture();
    expect(await events(args, env, out, { source: fake([]) })).toBe(2);
    expect(out.errors[0]).toMatch(message);
    expect(out.errors[0]).toMatch(/See 'bosun events --help' for usage\./);
  });

  it('says so when the log has nothing after the revision', async () => {
    const out = capture();
    expect(await events(['--after', '99'], env, out, { source: fake([]) })).toBe(0);
    expect(out.lines).toEqual(['No events after revision 99.']);
  });
});
