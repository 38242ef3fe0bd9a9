import { BosunError, ErrorCode } from '@bosun/common';
import { Quantity } from '@bosun/api-types';

/** The kubelet's eviction signals (https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/). */
export const EvictionSignal = {
  MemoryAvailable: 'memory.available',
  NodeFsAvailable: 'nodefs.available',
  NodeFsInodesFree: 'nodefs.inodesFree',
  ImageFsAvailable: 'imagefs.available',
  ImageFsInodesFree: 'imagefs.inodesFree',
  PidAvailable: 'pid.available',
} as const;
export type EvictionSignal = (typeof EvictionSignal)[keyof typeof EvictionSignal];

const SIGNALS = new Set<string>(Object.values(EvictionSignal));

/** `signal<value`: met when the observed value drops below an absolute amount or a share of capacity. */
export interface EvictionThreshold {
  readonly signal: EvictionSignal;
  readonly value: { readonly quantity: number } | { readonly percentage: number };
}

/**
 * The kubelet's default hard thresholds that apply here. Images live on the node file system
 * (no dedicated imagefs), so the nodefs thresholds guard both; imagefs.* may still be given.
 */
export const DEFAULT_EVICTION_HARD =
  'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%';

const invalid = (message: string) =>
  new BosunError(ErrorCode.Invalid, `eviction threshold: ${message}`);

/**
 * Parses `--eviction-hard` (`nodefs.available<10%,memory.available<100Mi`) strictly: known
 * signals only, only `<` (the kubelet's only operator), a percentage in (0, 100] or a
 * non-negative quantity, each signal once. The empty string turns hard eviction off.
 */
export function parseEvictionThresholds(raw: string): EvictionThreshold[] {
  if (raw.trim() === '') return [];
  const seen = new Set<string>();
  return raw.split(',').map((part) => {
    const statement = part.trim();
    const m = /^([A-Za-z.]+)\s*<\s*([^\s<=>]\S*)$/.exec(statement);
    if (!m)
      throw invalid(`"${statement}" is not of the form signal<value (e.g. nodefs.available<10%)`);
    const [, signal, value] = m as unknown as [string, string, string];
    if (!SIGNALS.has(signal))
      throw invalid(`unknown signal "${signal}" (one of ${[...SIGNALS].join(', ')})`);
    if (seen.has(signal)) throw invalid(`signal "${signal}" is given twice`);
    seen.add(signal);
    if (value.endsWith('%')) {
      const text = value.slice(0, -1);
      const pct = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!(pct > 0 && pct <= 100))
        throw invalid(`"${statement}": a percentage must be in (0%, 100%]`);
      return { signal: signal as EvictionSignal, value: { percentage: pct } };
    }
    const quantity = Quantity.tryParse(value)?.toNumber();
    if (quantity === undefined || !Number.isFinite(quantity) || quantity < 0)
      throw invalid(`"${statement}": "${value}" is not a non-negative quantity or percentage`);
    return { signal: signal as EvictionSignal, value: { quantity } };
  });
}

/** The amount below which `t` is met, for a resource of `capacity`. */
export function thresholdAmount(t: EvictionThreshold, capacity: number): number {
  return 'quantity' in t.value ? t.value.quantity : (capacity * t.value.percentage) / 100;
}
