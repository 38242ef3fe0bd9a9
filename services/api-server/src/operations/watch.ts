import { BosunError, ErrorCode } from '@bosun/common';
import type { KindInfo } from '@bosun/resource-model';
import type { ListOptions, StoredObject, StoreEvent } from '@bosun/store';
import { type ApiContext, withTypeMeta } from '../handlers/context';
import { scopeMatcher, selectionTracker, selectorMatcher } from '../watch/event-filter';

export interface WatchSpec {
  readonly kind: KindInfo;
  /** Selectors and scope (from `toListOptions`); limit and continue are ignored. */
  readonly options: ListOptions;
  /** '' or '0' = start with the current objects as ADDED; else the revision to follow after. */
  readonly resourceVersion: string;
}

/** Where a watch starts: the listed objects (sent as ADDED first) and the revision after them. */
export interface WatchStart {
  readonly initial: readonly StoredObject[];
  readonly from: number;
}

export interface WatchHandlers {
  /** One change in revision order, already filtered by the selectors. */
  event(type: string, object: StoredObject, revision: number): void;
  /** Every revision of the scope passes here, matching or not (for bookmarks). */
  seen?(revision: number): void;
  /** The hub failed (e.g. shutdown): the watch must end. */
  fail(): void;
}

const startsFromList = (rv: string): boolean => rv === '' || rv === '0';

/** Lists the current objects when the watch starts from "now" (rv '' or '0'), as Kubernetes does. */
export async function startWatch(ctx: ApiContext, spec: WatchSpec): Promise<WatchStart> {
  if (!startsFromList(spec.resourceVersion)) {
    const from = Number(spec.resourceVersion);
    await ctx.hub.awaitRevision(from); // past the head: 504 "Too large resource version"
    return { initial: [], from };
  }
  const listed = await ctx.store.list(spec.kind.type, {
    ...spec.options,
    limit: undefined,
    continue: undefined,
  });
  return { initial: listed.items.map((o) => withTypeMeta(spec.kind, o)), from: listed.revision };
}

/**
 * Follows every change after `start.from` through the WatchHub (exactly once, in revision order),
 * applying the selectors here so objects entering or leaving the selection become ADDED / DELETED.
 * Resolves with the function that stops the watch; a compacted revision throws Gone.
 */
export async function followWatch(
  ctx: ApiContext,
  spec: WatchSpec,
  start: WatchStart,
  handlers: WatchHandlers,
): Promise<() => void> {
  const { kind, options: opts } = spec;
  const scope = { group: opts.group, resource: opts.resource, namespace: opts.namespace };
  const selects = selectorMatcher(opts, kind.selectableFields);
  const view = selectionTracker(
    selects,
    startsFromList(spec.resourceVersion) ? start.initial : undefined,
  );
  try {
    return await ctx.hub.follow(start.from, scope, {
      matches: scopeMatcher(scope),
      push: (e: StoreEvent) => {
        handlers.seen?.(e.revision);
        const out = view(e);
        if (out) handlers.event(out.type, withTypeMeta(kind, out.object), e.revision);
      },
      fail: () => handlers.fail(),
    });
  } catch (e) {
    if (e instanceof BosunError && e.code === ErrorCode.Gone)
      throw new BosunError(
        ErrorCode.Gone,
        `too old resource version: ${spec.resourceVersion} (${e.message})`,
        { cause: e },
      );
    throw e;
  }
}
