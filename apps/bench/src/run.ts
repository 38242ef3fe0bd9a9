/**
 * `npm run bench -- <name>`: runs one benchmark, prints its figures as the last line of stdout in
 * the format DESIGN.md fixes, and appends them with machine and date to docs/PERFORMANCE.md.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from './machine';
import { BENCHMARKS } from './registry';

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    process.stderr.write(
      `usage: npm run bench -- <name>\n  names: ${Object.keys(BENCHMARKS).join(', ')}\n`,
    );
    process.exit(2);
  }
  const metrics: Record<string, number> = {};
  for (const part of bench.parts) {
    process.stderr.write(`running ${part.name}()\n`);
    Object.assign(metrics, await part.run());
  }
  const line = { bench: name, metrics, machine: machineInfo(), date: new Date().toISOString() };
  recordInPerformanceDoc(line);
  process.stdout.write(JSON.stringify(line) + '\n');
  // Benchmarks leave pools and timers behind; the figures are out, so end here.
  process.exit(0);
}

function recordInPerformanceDoc(line: {
  bench: string;
  metrics: Record<string, number>;
  machine: Record<string, unknown>;
  date: string;
}): void {
  const doc = join(__dirname, '..', '..', '..', 'docs', 'PERFORMANCE.md');
  const figures = Object.entries(line.metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(', ');
  const m = line.machine;
  appendFileSync(
    doc,
    `| ${line.date.slice(0, 16).replace('T', ' ')} | ${line.bench} | ${m.cpus}× ${m.cpuModel}, ${m.memGiB} GiB, node ${m.node} | ${figures} |\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : e}\n`);
  process.exit(1);
});
