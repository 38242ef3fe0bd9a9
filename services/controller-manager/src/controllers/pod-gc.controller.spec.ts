import { testing } from '@bosun/controller-kit';
import type { Pod } from '../workloads/types';
import type { Node } from '@bosun/api-types';
import { Resources as Refs } from '../ports/resources';
import { PodGarbageCollector, type PodGcOptions } from './pod-gc.controller';
import { FakeObjectWriter } from './testing/fake-object-writer';

const SEC = 1000;
const node = (name: string, ready = 'True'): Node => ({
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready as 'True' }] },
});
type Phase = NonNullable<NonNullable<Pod['status']>['phase']>;
const pod = (
  name: string,
  extra: { node?: string; phase?: Phase; terminating?: boolean } = {},
): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    ...(extra.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: { phase: extra.phase ?? 'Running' },
});

async function setup(opts: PodGcOptions = {}) {
  const clock = new testing.FakeClock();
  const writer = new FakeObjectWriter(clock);
  writer.seed(Refs.nodes, node('n1'));
  const deps = {
    periodMs: 0,
    ...opts,
    pods: await writer.informer<Pod>(Refs.pods),
    nodes: await writer.informer<Node>(Refs.nodes),
    writer,
    clock,
  };
  const gc = new PodGarbageCollector(deps);
  const seedPod = async (p: Pod) => {
    writer.seed(Refs.pods, p);
    await clock.advance(SEC); // distinct creation times
  };
  return { clock, writer, gc, seedPod };
}

describe('pod GC reconcile', () => {
  it('deletes terminated pods beyond the threshold, oldest first', async () => {
    const t = await setup({ terminatedPodThreshold: 2 });
    await t.seedPod(pod('old-failed', { node: 'n1', phase: 'Failed' }));
    await t.seedPod(pod('running', { node: 'n1' }));
    await t.seedPod(pod('mid-succeeded', { node: 'n1', phase: 'Succeeded' }));
    await t.seedPod(pod('new-succeeded', { node: 'n1', phase: 'Succeeded' }));
    await t.seedPod(pod('newest-failed', { node: 'n1', phase: 'Failed' }));
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([
      'delete pods ns/old-failed grace=0',
      'delete pods ns/mid-succeeded grace=0',
    ]);
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('keeps every terminated pod under the default threshold of 12500', async () => {
    const t = await setup();
    await t.seedPod(pod('done', { node: 'n1', phase: 'Succeeded' }));
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('force-deletes pods bound to a node gone for the quarantine period', async () => {
    const t = await setup({ nodeQuarantineMs: 40 * SEC });
    await t.seedPod(pod('orphan', { node: 'gone' }));
    await t.seedPod(pod('fine', { node: 'n1' }));
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([]);
    await t.clock.advance(40 * SEC);
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/orphan grace=0']);
  });

  it('does not collect pods of a node that came back within the quarantine', async () => {
    const t = await setup({ nodeQuarantineMs: 40 * SEC });
    await t.seedPod(pod('p', { node: 'n2' }));
    await t.gc.reconcile();
    t.writer.seed(Refs.nodes, node('n2'));
    await t.clock.advance(60 * SEC);
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([]);
  });

  it('force-deletes terminating pods on unreachable nodes and unscheduled terminating pods', async () => {
    const t = await setup();
    t.writer.seed(Refs.nodes, node('lost', 'Unknown'));
    await t.seedPod(pod('stuck', { node: 'lost', terminating: true }));
    await t.seedPod(pod('graceful', { node: 'n1', terminating: true }));
    await t.seedPod(pod('unscheduled', { terminating: true }));
    await t.seedPod(pod('alive-on-lost', { node: 'lost' }));
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual([
      'delete pods ns/stuck grace=0',
      'delete pods ns/unscheduled grace=0',
    ]);
  });

  it('sweeps at most once per period however many events arrive, and asks to be woken for the next', async () => {
    const t = await setup({ periodMs: 20 * SEC, terminatedPodThreshold: 1 });
    expect(await t.gc.reconcile()).toEqual({ requeueAfter: 20 * SEC });
    await t.seedPod(pod('a', { phase: 'Failed' }));
    await t.seedPod(pod('b', { phase: 'Failed' }));
    expect(await t.gc.reconcile()).toEqual({ requeueAfter: 18 * SEC });
    expect(t.writer.take()).toEqual([]);
    await t.clock.advance(18 * SEC);
    await t.gc.reconcile();
    expect(t.writer.take()).toEqual(['delete pods ns/a grace=0']);
  });
});
