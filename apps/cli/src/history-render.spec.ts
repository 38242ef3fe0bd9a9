import { compactionNote, renderHistory, unifiedDiff, withoutNoise } from './history-render';

const deployment = (replicas: number, image: string, rv: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    resourceVersion: rv,
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
});

const HISTORY = {
  compactedRevision: 0,
  items: [
    {
      revision: 5,
      type: 'ADDED',
      actor: 'admin',
      time: '2030-01-01T10:00:00.123Z',
      object: deployment(1, 'nginx:1', '5'),
    },
    {
      revision: 9,
      type: 'MODIFIED',
      actor: 'admin',
      time: '2030-01-01T10:01:00.000Z',
      object: deployment(3, 'nginx:1', '9'),
    },
    {
      revision: 12,
      type: 'MODIFIED',
      actor: 'system:kube-controller-manager',
      time: '2030-01-01T10:02:00Z',
      object: deployment(3, 'nginx:2', '12'),
    },
    {
      revision: 20,
      type: 'DELETED',
      actor: 'admin',
      time: '2030-01-01T10:03:00Z',
      object: deployment(3, 'nginx:2', '20'),
    },
  ],
};

describe('history rendering', () => {
  it('drops resourceVersion and managedFields, keeps the rest', () => {
    expect(withoutNoise(deployment(1, 'a', '7'))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'a' }] } } },
    });
    expect(withoutNoise(null)).toBeNull();
  });

  it('shows each version with its header and the change against the one before', () => {
    const text = renderHistory(HISTORY, { diff: true, color: false });
    const blocks = text.split('\n\n');
    expect(blocks).toHaveLength(4);
    expect(blocks[0].split('\n')[0]).toBe('revision 5  2030-01-01T10:00:00Z  admin  ADDED');
    expect(blocks[0]).toContain('+kind: Deployment');
    expect(blocks[0]).not.toMatch(/^-/m);
    expect(blocks[1]).toContain('-  replicas: 1\n+  replicas: 3');
    expect(blocks[2].split('\n')[0]).toBe(
      'revision 12  2030-01-01T10:02:00Z  system:kube-controller-manager  MODIFIED',
    );
    expect(blocks[2]).toMatch(/^- +image: nginx:1$/m);
    expect(blocks[2]).toMatch(/^\+ +image: nginx:2$/m);
    expect(blocks[3]).toBe(
      'revision 20  2030-01-01T10:03:00Z  admin  DELETED\n(deleted; no change to the object)',
    );
    expect(text).not.toContain('resourceVersion');
    expect(text).not.toContain('managedFields');
    expect(text).not.toContain('\x1b[');
  });

  it('a re-created object is shown whole, not as a diff against the deleted one', () => {
    const recreated = {
      revision: 30,
      type: 'ADDED',
      actor: 'admin',
      time: '2030-01-01T11:00:00Z',
      object: deployment(3, 'nginx:2', '30'),
    };
    const text = renderHistory(
      { items: [...HISTORY.items, recreated] },
      { diff: true, color: false },
    );
    const last = text.split('\n\n').at(-1) ?? '';
    expect(last).toContain('+kind: Deployment');
  });

  it('lists versions only with --no-diff', () => {
    expect(renderHistory(HISTORY, { diff: false, color: false })).toBe(
      [
        'REVISION   TIME                   ACTOR                            TYPE',
        '5          2030-01-01T10:00:00Z   admin                            ADDED',
        '9          2030-01-01T10:01:00Z   admin                            MODIFIED',
        '12         2030-01-01T10:02:00Z   system:kube-controller-manager   MODIFIED',
        '20         2030-01-01T10:03:00Z   admin                            DELETED',
      ].join('\n'),
    );
  });

  it('colours additions, removals and hunks only when asked', () => {
    const plain = unifiedDiff('a: 1\n', 'a: 2\n', false);
    expect(plain).toBe('@@ -1,1 +1,1 @@\n-a: 1\n+a: 2');
    expect(unifiedDiff('a: 1\n', 'a: 2\n', true)).toBe(
      '\x1b[36m@@ -1,1 +1,1 @@\x1b[0m\n\x1b[31m-a: 1\x1b[0m\n\x1b[32m+a: 2\x1b[0m',
    );
    expect(unifiedDiff('a: 1\n', 'a: 1\n', true)).toBe('');
  });

  it('notes compaction when the oldest version shown is not the creation', () => {
    expect(compactionNote(HISTORY)).toBeUndefined();
    expect(compactionNote({ compactedRevision: 10, items: HISTORY.items.slice(2) })).toMatch(
      /history at or before revision 10 was compacted/,
    );
    expect(compactionNote({ compactedRevision: 10, items: HISTORY.items })).toBeUndefined();
    const text = renderHistory(
      { compactedRevision: 10, items: HISTORY.items.slice(2) },
      { diff: true, color: false },
    );
    expect(text.split('\n')[0]).toMatch(/^note: /);
  });
});
