import type { ApiClient, KubeObject, ResourceRef } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import type { Change, RecordedKind } from './rollout-invariants';

const REFS: Record<RecordedKind, (ns: string) => ResourceRef> = {
  Pod: (namespace) => ({ group: '', version: 'v1', resource: 'pods', namespace }),
  ReplicaSet: (namespace) => ({ group: 'apps', version: 'v1', resource: 'replicasets', namespace }),
  Deployment: (namespace) => ({ group: 'apps', version: 'v1', resource: 'deployments', namespace }),
};

interface Stream {
  readonly kind: RecordedKind;
  /** The last revision this stream delivered (or listed). */
  rv: number;
  readonly live: Map<string, KubeObject>;
}

/**
 * Follows the Deployment, its ReplicaSets and its pods through the API watch from the first
 * revision on, resuming from the last delivered revision whenever the stream breaks (api-server
 * killed, restarted). Revisions are one total order across kinds (DESIGN I2), so merging the three
 * streams by revision replays the namespace's real history, state by state.
 */
export class ClusterRecorder {
  private readonly changes: Change[] = [];
  private readonly streams: Stream[];
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  /** Times a stream had to re-list (410 Gone): the history then has a hole. */
  relists = 0;
  /** Events at or below a revision the stream had already delivered (DESIGN I3 forbids them). */
  duplicates = 0;
  /** Times a broken stream was resumed from its last revision. */
  resumes = 0;
  lastError: unknown;

  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
    private readonly labelSelector: string,
  ) {
    this.streams = (Object.keys(REFS) as RecordedKind[]).map((kind) => ({
      kind,
      rv: 0,
      live: new Map(),
    }));
  }

  /** Lists each kind once (the starting revision) and follows it until `stop()`. */
  async start(): Promise<void> {
    for (const s of this.streams) await this.relist(s, false);
    this.loops = this.streams.map((s) => this.follow(s));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  /** Every change seen so far, in revision order. */
  history(): Change[] {
    return [...this.changes].sort((a, b) => a.revision - b.revision);
  }

  /** The highest revision every stream has seen (a lower bound of "now" for marks). */
  get revision(): number {
    return Math.max(...this.streams.map((s) => s.rv));
  }

  /** Whether the stream of `kind` has delivered revision `rv` (or a later one). */
  caughtUp(kind: RecordedKind, rv: number): boolean {
    return this.streams.find((s) => s.kind === kind)!.rv >= rv;
  }

  private selector(kind: RecordedKind) {
    return kind === 'Deployment' ? {} : { labelSelector: this.labelSelector };
  }

  private async relist(s: Stream, gap: boolean): Promise<void> {
    const list = await this.client.list(REFS[s.kind](this.namespace), this.selector(s.kind));
    const rv = Number(list.metadata.resourceVersion);
    const seen = new Set<string>();
    for (const o of list.items) {
      const name = o.metadata.name ?? '';
      seen.add(name);
      // The starting state (or, after a gap, the state again) as of the list's revision.
      this.push(s, { kind: s.kind, type: gap ? 'MODIFIED' : 'ADDED', revision: rv, object: o });
    }
    for (const [name, o] of s.live) {
      if (!seen.has(name)) this.push(s, { kind: s.kind, type: 'DELETED', revision: rv, object: o });
    }
    s.rv = rv;
  }

  private push(s: Stream, c: Change): void {
    const name = c.object.metadata.name ?? '';
    if (c.type === 'DELETED') s.live.delete(name);
    else s.live.set(name, c.object);
    this.changes.push(c);
  }

  private async follow(s: Stream): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        for await (const e of this.client.watch(
          REFS[s.kind](this.namespace),
          { ...this.selector(s.kind), resourceVersion: String(s.rv) },
          signal,
        )) {
          if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') continue;
          const revision = Number(e.object.metadata.resourceVersion);
          if (revision <= s.rv) {
            this.duplicates++;
            continue;
          }
          this.push(s, { kind: s.kind, type: e.type, revision, object: e.object });
          s.rv = revision;
        }
      } catch (e) {
        if (signal.aborted) return;
        this.lastError = e;
        if (isBosunError(e) && e.code === ErrorCode.Gone) {
          this.relists++;
          await this.relist(s, true).catch((err: unknown) => (this.lastError = err));
          continue;
        }
      }
      if (signal.aborted) return;
      this.resumes++;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
