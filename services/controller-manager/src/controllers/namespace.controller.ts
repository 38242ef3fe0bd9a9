import { ErrorCode, isBosunError } from '@bosun/common';
import {
  defineController,
  type Controller,
  type Informer,
  type Result,
} from '@bosun/controller-kit';
import type { KindRegistry } from '@bosun/resource-model';
import type { ReadPort } from '../ports/read-port';
import { Resources } from '../ports/resources';
import type { WritePort } from '../ports/write-port';
import type { ObjectMeta } from '../workloads/types';
import type { ControllerContext } from './controller-context';
import { kitOptions } from './controller-options';

export const NAMESPACE_FINALIZER = 'kubernetes';

/** How soon to sweep again while objects are still on their way out. */
export const RESWEEP_MS = 1000;

export interface Namespace {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
  [field: string]: unknown;
}

export interface NamespaceDeps {
  readonly namespaces: Informer<Namespace>;
  readonly kinds: KindRegistry;
  readonly reader: ReadPort;
  readonly writer: WritePort;
}

/**
 * Namespace deletion: a terminating namespace has every namespaced object of every kind deleted,
 * then its `kubernetes` finalizer removed through PUT finalize, after which the api-server
 * removes it.
 */
export function namespaceController(ctx: ControllerContext): Controller {
  const namespaces = ctx.informers.for<Namespace>(Resources.namespaces);
  const deps: NamespaceDeps = {
    namespaces,
    kinds: ctx.kinds,
    reader: ctx.reader,
    writer: ctx.writer,
  };
  return defineController({
    ...kitOptions(ctx, 'namespace'),
    workers: ctx.workers ?? 2,
    informers: [namespaces],
    keyOf: (obj) =>
      (obj.metadata as ObjectMeta).deletionTimestamp ? obj.metadata.name : undefined,
    reconcile: (key) => reconcileNamespace(key, deps),
  });
}

export async function reconcileNamespace(
  name: string,
  deps: NamespaceDeps,
): Promise<Result | void> {
  const ns = deps.namespaces.get(name);
  if (!ns?.metadata.deletionTimestamp) return;
  const finalizers = ns.spec?.finalizers ?? [];
  if (!finalizers.includes(NAMESPACE_FINALIZER)) return;
  // Most objects go at once: a second look usually finds the namespace empty already.
  if ((await sweep(name, deps, true)) > 0 && (await sweep(name, deps, false)) > 0) {
    return { requeueAfter: RESWEEP_MS };
  }
  const next = structuredClone(ns);
  next.spec = {
    ...(next.spec ?? {}),
    finalizers: finalizers.filter((f) => f !== NAMESPACE_FINALIZER),
  };
  await deps.writer.finalizeNamespace(next);
}

/** Counts what is in the namespace and (with `remove`) deletes it. */
async function sweep(namespace: string, deps: NamespaceDeps, remove: boolean): Promise<number> {
  let left = 0;
  const seen = new Set<string>();
  for (const kind of deps.kinds.kinds()) {
    if (!kind.namespaced || !kind.verbs.includes('list') || !kind.verbs.includes('delete'))
      continue;
    // The same objects can be served under two groups (core and events.k8s.io Events).
    if (seen.has(`${kind.group}/${kind.resource}`)) continue;
    seen.add(`${kind.group}/${kind.resource}`);
    const ref = { group: kind.group, version: kind.version, resource: kind.resource };
    const items = await deps.reader.list(ref, namespace);
    left += items.length;
    for (const item of items) {
      if (!remove || (item.metadata as ObjectMeta).deletionTimestamp) continue;
      try {
        await deps.writer.delete(ref, namespace, item.metadata.name ?? '', {
          propagationPolicy: 'Background',
        });
      } catch (e) {
        if (!isBosunError(e, ErrorCode.NotFound)) throw e;
      }
    }
  }
  return left;
}
