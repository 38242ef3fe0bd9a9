/**
 * Container start latency with runc (Bosun issue 4; feeds the pod startup budget p99 <= 1 s).
 * Measures createContainer + startContainer until runc reports the process running, for
 * BENCH_CONTAINERS (default 30) busybox containers in one sandbox, image already unpacked.
 * Run: node -r @swc-node/register -e "require('./libs/runtime/bench/container-start.ts').benchContainerStart().then(console.log)"
 */
import { createRuncFixture, runcUnavailable } from '../test/runc-fixture';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchContainerStart(): Promise<Record<string, number>> {
  const why = runcUnavailable();
  if (why) throw new Error(`runc container start benchmark cannot run here: ${why}`);
  const count = Number(process.env.BENCH_CONTAINERS ?? 30);
  const fx = await createRuncFixture();
  try {
    const sandbox = await fx.runtime.runPodSandbox({ name: 'bench', namespace: 'bench', uid: 'b' });
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const id = await fx.runtime.createContainer(sandbox.id, {
        name: `c${i}`,
        image: fx.image,
        command: ['sleep', '1000'],
      });
      await fx.runtime.startContainer(id);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return {
      runc_start_p50_ms: percentile(samples, 50),
      runc_start_p99_ms: percentile(samples, 99),
      runc_start_max_ms: samples[samples.length - 1],
      runc_start_containers: count,
    };
  } finally {
    await fx.cleanup();
  }
}
