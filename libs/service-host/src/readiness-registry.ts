import { Injectable } from '@nestjs/common';

/** One readiness check's verdict; `detail` explains it on `/readyz`. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail?: string;
}

export type ReadinessCheck = () => boolean | CheckResult | Promise<boolean | CheckResult>;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, CheckResult>;
}

/**
 * Where a service registers what must hold before it takes traffic (store connected, informer
 * synced, leader elected...). `/readyz` answers 200 only when every check passes; a check that
 * throws counts as failed and its message is shown, so a broken dependency is visible, not fatal.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          const r = await check();
          return [name, typeof r === 'boolean' ? { ok: r } : r];
        } catch (e) {
          return [name, { ok: false, detail: e instanceof Error ? e.message : String(e) }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }
}
