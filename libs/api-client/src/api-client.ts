import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BosunError, ErrorCode } from '@bosun/common';
import {
  BOSUN_API_PREFIX,
  historyPath,
  type EventLogLine,
  type ObjectHistory,
  type StreamEventsOptions,
} from './event-log';
import type { Connection } from './kubeconfig';
import {
  type DeleteOptions,
  type KubeList,
  type KubeObject,
  type ListQuery,
  PatchType,
  resourcePath,
  type ResourceRef,
  type WatchEvent,
} from './resource-ref';
import { statusToError, type StatusBody } from './status-error';

/** What `loadImage` answers: the images one node stored from an archive. */
export interface ImageLoadResult {
  readonly apiVersion: 'bosun.dev/v1';
  readonly kind: 'ImageLoadResult';
  readonly node: string;
  readonly images: readonly { readonly name: string; readonly digest: string }[];
}

const query = (q: Record<string, string | number | boolean | undefined>): string => {
  const entries = Object.entries(q).filter(([, v]) => v !== undefined && v !== '');
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]))}`
    : '';
};

/**
 * A keep-alive HTTPS client for the Kubernetes REST API. Failures are BosunErrors whose code
 * follows the answer's Status (NotFound, Conflict, Gone...), so callers branch on codes.
 */
export class ApiClient {
  private readonly agent: Agent;

  constructor(private readonly conn: Connection) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 64, ca: conn.caPem });
  }

  get defaultNamespace(): string {
    return this.conn.namespace;
  }

  async get<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    subresource?: string,
  ): Promise<T> {
    return this.call<T>('GET', resourcePath(ref, name, subresource));
  }

  async list<T extends KubeObject>(ref: ResourceRef, q: ListQuery = {}): Promise<KubeList<T>> {
    return this.call<KubeList<T>>('GET', resourcePath(ref) + query({ ...q }));
  }

  async create<T extends KubeObject>(
    ref: ResourceRef,
    obj: T,
    opts: { dryRun?: boolean } = {},
  ): Promise<T> {
    return this.call<T>(
      'POST',
      resourcePath(ref) + query({ dryRun: opts.dryRun ? 'All' : undefined }),
      obj,
    );
  }

  /** PUT; a `metadata.resourceVersion` in `obj` is a precondition (Conflict when stale). */
  async update<T extends KubeObject>(ref: ResourceRef, obj: T, subresource?: string): Promise<T> {
    return this.call<T>('PUT', resourcePath(ref, obj.metadata.name ?? '', subresource), obj);
  }

  async patch<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    type: PatchType = PatchType.Merge,
    subresource?: string,
  ): Promise<T> {
    return this.call<T>('PATCH', resourcePath(ref, name, subresource), patch, type);
  }

  /** DELETE with a DeleteOptions body, as client-go sends it. */
  async delete<T extends KubeObject>(
    ref: ResourceRef,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<T> {
    const { dryRun, ...rest } = opts;
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...rest,
      ...(dryRun && { dryRun: ['All'] }),
    };
    return this.call<T>('DELETE', resourcePath(ref, name), body);
  }

  /**
   * Every recorded version of one object (who, when, what), oldest first. `namespace` is required
   * for namespaced resources and must be absent or '' for cluster-scoped ones. NotFound for an
   * unknown resource type; empty `items` for a name never seen.
   */
  async history<T extends KubeObject = KubeObject>(
    ref: Pick<ResourceRef, 'group' | 'version' | 'resource'>,
    namespace: string | undefined,
    name: string,
  ): Promise<ObjectHistory<T>> {
    return this.call<ObjectHistory<T>>('GET', historyPath(ref, namespace, name));
  }

  /**
   * The event log of every resource, in revision order, one parsed line per committed change.
   * Without `follow` it ends after the backlog; with it, it goes on until `signal` aborts (then
   * it just returns). Gone (410) when `after` is compacted, BadRequest for bad values.
   */
  async *streamEvents<T extends KubeObject = KubeObject>(
    opts: StreamEventsOptions = {},
  ): AsyncGenerator<EventLogLine<T>> {
    const path =
      `${BOSUN_API_PREFIX}/events` +
      query({ after: opts.after, limit: opts.limit, follow: opts.follow ? true : undefined });
    yield* this.jsonLines<EventLogLine<T>>(path, opts.signal);
  }

  /**
   * The JSON lines of a streamed answer (watch events, event-log lines). A line of type ERROR
   * carries a Status and ends the stream with its error; an abort of `signal` ends it quietly.
   */
  private async *jsonLines<L extends { readonly type: string }>(
    path: string,
    signal?: AbortSignal,
  ): AsyncGenerator<L> {
    for await (const line of this.lines(path, signal)) {
      const parsed = JSON.parse(line) as L | { type: 'ERROR'; object: StatusBody };
      if (parsed.type === 'ERROR') {
        const status = (parsed as { object: StatusBody }).object;
        throw statusToError(status.code ?? 500, status);
      }
      yield parsed as L;
    }
  }

  /** The non-empty lines of a streamed answer; ends quietly when `signal` aborts. */
  private async *lines(path: string, signal?: AbortSignal): AsyncGenerator<string> {
    const res = await this.open('GET', path, undefined, undefined, signal);
    if ((res.statusCode ?? 0) >= 300) throw await this.failure(res);
    let buf = '';
    try {
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') yield line;
        }
      }
      if (buf.trim() !== '') yield buf.trim();
    } catch (e) {
      if (signal?.aborted && !(e instanceof BosunError)) return;
      throw e;
    } finally {
      res.destroy();
    }
  }

  /**
   * Watches from `resourceVersion` (or from the current state, as ADDED events, without one).
   * Ends when the server ends the stream, `signal` aborts, or with a Gone error (410): then
   * re-list and watch again from the list's resourceVersion.
   */
  async *watch<T extends KubeObject>(
    ref: ResourceRef,
    q: ListQuery & { allowWatchBookmarks?: boolean; timeoutSeconds?: number } = {},
    signal?: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    yield* this.jsonLines<WatchEvent<T>>(resourcePath(ref) + query({ ...q, watch: true }), signal);
  }

  /**
   * `bosun image load`: streams an image archive (OCI layout or docker save, tar or tar.gz) to
   * the node's image store through the api-server (`POST /apis/bosun.dev/v1/nodes/{node}/images`),
   * with backpressure all the way. Resolves with what the node stored; a bad archive is a
   * BadRequest, an unknown node NotFound, an unreachable agent ServiceUnavailable.
   */
  loadImage(node: string, body: Readable | AsyncIterable<Uint8Array>): Promise<ImageLoadResult> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': 'application/x-tar',
    };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    const url = `${this.conn.server}/apis/bosun.dev/v1/nodes/${encodeURIComponent(node)}/images`;
    return new Promise<ImageLoadResult>((resolve, reject) => {
      let answered = false;
      const req = request(url, { method: 'POST', agent: this.agent, headers }, (res) => {
        answered = true;
        if ((res.statusCode ?? 0) >= 300) this.failure(res).then(reject, reject);
        else readAll(res).then((t) => resolve(JSON.parse(t) as ImageLoadResult), reject);
      });
      let sendError: Error | undefined;
      // A server that refuses early may close while the body is still being sent: its answer,
      // when one came, says why; otherwise the connection failure does.
      req.on('close', () => {
        if (!answered)
          reject(
            new BosunError(
              ErrorCode.Unavailable,
              `cannot send the image to ${this.conn.server}: ${sendError?.message ?? 'connection closed'}`,
              { cause: sendError },
            ),
          );
      });
      pipeline(body instanceof Readable ? body : Readable.from(body), req).catch((e: Error) => {
        sendError = e;
        req.destroy();
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const res = await this.open(method, path, body, contentType);
    if ((res.statusCode ?? 0) >= 300) throw await this.failure(res);
    return JSON.parse(await readAll(res)) as T;
  }

  private async failure(res: IncomingMessage): Promise<BosunError> {
    const text = await readAll(res);
    let status: StatusBody | undefined;
    try {
      status = JSON.parse(text) as StatusBody;
    } catch {
      status = { message: text };
    }
    return statusToError(res.statusCode ?? 0, status);
  }

  private open(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const opts: RequestOptions = { method, agent: this.agent, headers, signal };
    return new Promise((resolve, reject) => {
      const req = request(`${this.conn.server}${path}`, opts, resolve);
      req.on('error', (e) =>
        reject(
          signal?.aborted
            ? e
            : new BosunError(
                ErrorCode.Unavailable,
                `cannot reach ${this.conn.server}: ${e.message}`,
                { cause: e },
              ),
        ),
      );
      req.end(payload);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}
