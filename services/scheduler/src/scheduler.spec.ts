import pino from 'pino';
import { BosunError, ErrorCode } from '@bosun/common';
import type { Node, Pod } from '@bosun/api-types';
import { testing, type ListWatchPort } from '@bosun/controller-kit';
import type { Binder } from '@bosun/scheduling';
import { waitFor } from '@bosun/testing';
import type { SchedulingReporter } from './pod-writer';
import { Scheduler } from './scheduler';

const quiet = pino({ level: 'silent' });

/** A view of the pod store through a field-selector-like predicate, as the api-server serves it. */
function selected(
  port: testing.InMemoryResourcePort<Pod>,
  keep: (o: Pod) => boolean,
): ListWatchPort<Pod> {
  return {
    list: async () => {
      const all = await port.list();
      return { items: all.items.filter(keep), revision: all.revision };
    },
    watch: (from, onEvent, onError) =>
      port.watch(
        from,
        (e) => {
          if (keep(e.object)) onEvent(e);
          else if (e.type === 'MODIFIED') onEvent({ ...e, type: 'DELETED' });
        },
        onError,
      ),
  };
}

const node = (name: string, cpu: string): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { allocatable: { cpu, memory: '8Gi', pods: '110' } },
});

const pod = (name: string, cpu = '500m', extra: object = {}): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }], ...extra },
});

const nodeNameOf = (o: Pod) => o.spec.nodeName;

function harness(opts: { failBinds?: number; bindError?: ErrorCode } = {}) {
  const pods = new testing.InMemoryResourcePort<Pod>();
  const nodes = new testing.InMemoryResourcePort<Node>();
  let failures = opts.failBinds ?? 0;
  const binds: string[] = [];
  let bindCalls = 0;
  const binder: Binder = {
    async bind(p: Pod, nodeName: string) {
      bindCalls++;
      if (failures-- > 0) {
        throw new BosunError(opts.bindError ?? ErrorCode.Unavailable, 'bind refused');
      }
      const current = pods.get('default', p.metadata.name!)!;
      binds.push(`${p.metadata.name}->${nodeName}`);
      pods.update({ ...current, spec: { ...current.spec, nodeName } });
    },
  };
  const reports: string[] = [];
  const reporter: SchedulingReporter = {
    async unschedulable(p, message) {
      reports.push(`unschedulable ${p.metadata.name}: ${message}`);
    },
    async scheduled(p, nodeName) {
      reports.push(`scheduled ${p.metadata.name} ${nodeName}`);
    },
  };
  const scheduler = new Scheduler({
    pendingPods: selected(pods, (o) => !nodeNameOf(o)),
    assignedPods: selected(pods, (o) => !!nodeNameOf(o)),
    nodes,
    binder,
    reporter,
    options: { seed: 1 },
    queueOptions: { initialBackoffMs: 1, maxBackoffMs: 5 },
    logger: quiet,
  });
  const abort = new AbortController();
  return { pods, nodes, binds, reports, scheduler, abort, bindCalls: () => bindCalls };
}

describe('Scheduler (in-memory ports)', () => {
  it('binds pending pods and reports each as scheduled; a standby replica binds nothing', async () => {
    const h = harness();
    h.nodes.create(node('n1', '1'));
    h.nodes.create(node('n2', '1'));
    await h.scheduler.start();
    h.pods.create(pod('a'));
    h.pods.create(pod('b'));
    expect(h.binds).toEqual([]);
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('c'));
    await waitFor(() => h.reports.length === 3);
    expect(h.binds.map((b) => b.split('->')[0]).sort()).toEqual(['a', 'b', 'c']);
    const perNode = h.binds.map((b) => b.split('->')[1]);
    expect(new Set(perNode)).toEqual(new Set(['n1', 'n2']));
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });

  it('reports a pod that fits nowhere once, ignores its status writes, and places it when a node is added', async () => {
    const h = harness();
    h.nodes.create(node('small', '1'));
    await h.scheduler.start();
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('big', '4'));
    await waitFor(() => h.reports.length === 1);
    expect(h.reports[0]).toMatch(
      /^unschedulable big: 0\/1 nodes are available: 1 Insufficient cpu\./,
    );
    const current = h.pods.get('default', 'big')!;
    h.pods.update({
      ...current,
      status: { conditions: [{ type: 'PodScheduled', status: 'False' }] },
    });
    h.nodes.create(node('large', '8'));
    await waitFor(() => h.binds.length === 1);
    expect(h.binds).toEqual(['big->large']);
    expect(h.reports.filter((r) => r.startsWith('unschedulable'))).toHaveLength(1);
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });

  it('leaves other schedulers’ pods and retries a failed bind after back-off', async () => {
    const h = harness({ failBinds: 2 });
    h.nodes.create(node('n1', '4'));
    await h.scheduler.start();
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('theirs', '100m', { schedulerName: 'other' }));
    h.pods.create(pod('mine'));
    await waitFor(() => h.binds.length === 1);
    expect(h.binds).toEqual(['mine->n1']);
    expect(nodeNameOf(h.pods.get('default', 'theirs')!)).toBeUndefined();
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });

  it('a new term does not re-place pods that are already bound', async () => {
    const h = harness();
    h.nodes.create(node('n1', '4'));
    h.pods.create({ ...pod('done'), spec: { ...pod('done').spec, nodeName: 'n1' } });
    await h.scheduler.start();
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('fresh'));
    await waitFor(() => h.binds.length === 1);
    expect(h.binds).toEqual(['fresh->n1']);
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });

  it('drops a pod whose bind is refused for good (gone, or already bound) instead of retrying it', async () => {
    const h = harness({ failBinds: 1, bindError: ErrorCode.NotFound });
    h.nodes.create(node('n1', '4'));
    await h.scheduler.start();
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('vanishing'));
    await waitFor(() => h.bindCalls() === 1);
    expect(h.scheduler.queueLengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
    expect(h.scheduler.assumeCache.size).toBe(0);
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });

  it('retries a parked pod when an assigned pod is deleted and frees room', async () => {
    const h = harness();
    h.nodes.create(node('n1', '1'));
    h.pods.create({
      ...pod('old', '1'),
      spec: { ...pod('old', '1').spec, nodeName: 'n1' },
    });
    await h.scheduler.start();
    const running = h.scheduler.run(h.abort.signal);
    h.pods.create(pod('new', '1'));
    await waitFor(() => h.reports.length === 1);
    expect(h.reports[0]).toMatch(
      /^unschedulable new: 0\/1 nodes are available: 1 Insufficient cpu\./,
    );
    h.pods.delete('default', 'old');
    await waitFor(() => h.binds.length === 1);
    expect(h.binds).toEqual(['new->n1']);
    h.abort.abort();
    await running;
    h.scheduler.stop();
  });
});
