import {
  ApiClient,
  type Connection,
  type EventLogLine,
  type StreamEventsOptions,
} from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { runCommand, type CommandSpec } from '../command-help';
import { loadConnection } from '../connection';
import { booleanFlag, intFlag, stringFlag, UsageError } from '../flags';
import { shortTime } from '../history-render';
import type { Output } from '../output';
import { columnWidths, formatRow } from '../table';

export const eventsSpec: CommandSpec = {
  path: 'events',
  description: `Print the cluster's event log: every committed change to any object, in revision order,
with who made it. With --follow, keep printing new changes as they are committed, until Ctrl-C.

(These are Bosun's store events — the log the control plane is built on — not Kubernetes
Event objects, which \`kubectl get events\` lists.)`,
  usage: ['events [--follow] [--after REVISION] [--limit N] [-o table|json]'],
  flags: {
    follow: { type: 'boolean', short: 'f' },
    after: { type: 'string' },
    limit: { type: 'string' },
    output: { type: 'string', short: 'o' },
    kubeconfig: { type: 'string' },
  },
  flagHelp: [
    { flag: '-f, --follow', text: 'keep streaming new events until Ctrl-C' },
    {
      flag: '--after REVISION',
      text: 'start after this revision (default: the last --limit events)',
    },
    { flag: '--limit N', text: 'at most N events from the log (default 100 without --after)' },
    {
      flag: '-o, --output FORMAT',
      text: 'table (default) or json (one JSON object per line, with the object)',
    },
    {
      flag: '--kubeconfig PATH',
      text: 'kubeconfig of the cluster (default: $KUBECONFIG, else <BOSUN_HOME>/kubeconfig)',
    },
  ],
  examples: [
    '# The last 100 changes',
    'bosun events',
    '',
    '# Everything from revision 1200 on, and then whatever happens next',
    'bosun events --after 1200 -f',
    '',
    '# Machine-readable, for jq',
    "bosun events -o json --limit 10 | jq -r '.actor'",
  ],
};

/** The api-client call this command needs. */
export interface EventSource {
  streamEvents(opts: StreamEventsOptions): AsyncIterable<EventLogLine>;
}

export interface EventsDeps {
  /** Aborting ends a --follow stream, as Ctrl-C does. Default: SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  readonly source?: (conn: Connection) => EventSource & { close?(): void };
}

export const EVENT_COLUMNS = [
  'REVISION',
  'TIME',
  'ACTOR',
  'TYPE',
  'KIND',
  'NAMESPACE/NAME',
] as const;

export function eventRow(e: EventLogLine): string[] {
  const kind =
    typeof e.object?.kind === 'string'
      ? e.object.kind
      : e.group
        ? `${e.resource}.${e.group}`
        : e.resource;
  return [
    String(e.revision),
    shortTime(e.time),
    e.actor,
    e.type,
    kind,
    e.namespace ? `${e.namespace}/${e.name}` : e.name,
  ];
}

/** Column widths a following stream starts with, so most rows line up without knowing them all. */
const STREAM_WIDTHS = [8, 20, 14, 8, 12, 0];

/** `bosun events`. */
export async function events(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  deps: EventsDeps = {},
): Promise<number> {
  return runCommand(eventsSpec, args, out, async (p) => {
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument "${p.positionals[0]}"`);
    const output = stringFlag(p, 'output', 'table');
    if (output !== 'table' && output !== 'json') {
      throw new UsageError(
        `unable to match a printer suitable for the output format "${output}", allowed formats are: table,json`,
      );
    }
    const after = intFlag(p, 'after');
    const limit = intFlag(p, 'limit');
    if (limit === 0)
      throw new UsageError('invalid argument "0" for "--limit" flag: must be at least 1');
    const follow = booleanFlag(p, 'follow');
    const conn = await loadConnection(env, stringFlag(p, 'kubeconfig') || undefined);
    const interrupt = deps.signal
      ? { signal: deps.signal, dispose: () => undefined }
      : interruptSignal();
    const source = (deps.source ?? defaultSource)(conn);
    try {
      const stream = source.streamEvents({ after, follow, limit, signal: interrupt.signal });
      if (output === 'json') {
        for await (const e of stream) out.info(JSON.stringify(e));
        return 0;
      }
      if (!follow) {
        const rows: string[][] = [];
        for await (const e of stream) rows.push(eventRow(e));
        if (rows.length === 0) {
          out.info(
            after === undefined ? 'No events in the log.' : `No events after revision ${after}.`,
          );
          return 0;
        }
        const widths = columnWidths([[...EVENT_COLUMNS], ...rows]);
        for (const r of [[...EVENT_COLUMNS], ...rows]) out.info(formatRow(r, widths));
        return 0;
      }
      const widths = columnWidths([[...EVENT_COLUMNS], STREAM_WIDTHS.map((w) => ' '.repeat(w))]);
      out.info(formatRow([...EVENT_COLUMNS], widths));
      for await (const e of stream) out.info(formatRow(eventRow(e), widths));
      return 0;
    } catch (e) {
      if (interrupt.signal.aborted) return 0;
      if (isBosunError(e, ErrorCode.Gone)) {
        throw new Error(
          `revision ${after} is older than the log keeps (it was compacted): use a later --after, or leave it out for the latest events`,
        );
      }
      throw e;
    } finally {
      interrupt.dispose();
      source.close?.();
    }
  });
}

/** An AbortSignal that Ctrl-C (or SIGTERM) fires, for streams that run until then. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function defaultSource(conn: Connection): EventSource & { close(): void } {
  return new ApiClient(conn);
}
