import type { Kubectl } from './kubectl';

/**
 * A user who keeps writing while the control plane is being killed: one `kubectl create
 * configmap` after another, each remembered as acknowledged (kubectl said it succeeded) or not.
 * Every acknowledged write must survive (DESIGN I1); unacknowledged ones may or may not exist.
 */
export class AckLedger {
  readonly acknowledged: string[] = [];
  readonly refused: string[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly kubectl: Kubectl,
    private readonly prefix: string,
  ) {}

  start(pauseMs = 200): void {
    this.loop = (async () => {
      for (let n = 1; !this.stopped; n++) {
        const name = `${this.prefix}-${n}`;
        try {
          await this.kubectl.run(['create', 'configmap', name, `--from-literal=n=${n}`], {
            timeoutMs: 40_000,
          });
          this.acknowledged.push(name);
        } catch {
          this.refused.push(name);
        }
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
