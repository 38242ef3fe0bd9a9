import {
  ApiClient,
  type Connection,
  type ObjectHistory,
  type ResourceRef,
} from '@bosun/api-client';
import { stringify } from 'yaml';
import { apiGetJson } from '../api-get';
import { runCommand, type CommandSpec } from '../command-help';
import { loadConnection } from '../connection';
import { booleanFlag, stringFlag, UsageError } from '../flags';
import { compactionNote, renderHistory } from '../history-render';
import { discoverResources, parseObjectArg, resolveResourceType } from '../kinds';
import type { Output } from '../output';

export const historySpec: CommandSpec = {
  path: 'history',
  description: `Show every recorded version of an object: revision, time, who made the change, the
event type, and what changed (a unified diff of the object as YAML against the version before).

Bosun keeps every change in its event log, so this works for any kind the API serves, also
across a delete and a re-creation under the same name. Versions older than the log's compaction
are gone; the command says so when that is the case.`,
  usage: [
    'history <type>/<name> [-n NAMESPACE] [-o table|json|yaml] [--no-diff]',
    'history <type> <name> [flags]',
  ],
  flags: {
    namespace: { type: 'string', short: 'n' },
    output: { type: 'string', short: 'o' },
    'no-diff': { type: 'boolean' },
    kubeconfig: { type: 'string' },
  },
  flagHelp: [
    {
      flag: '-n, --namespace NS',
      text: "the object's namespace (default: the kubeconfig context's, else default)",
    },
    {
      flag: '-o, --output FORMAT',
      text: 'table (default: versions and diffs), json or yaml (the whole history)',
    },
    { flag: '--no-diff', text: 'list the versions without the diffs' },
    {
      flag: '--kubeconfig PATH',
      text: 'kubeconfig of the cluster (default: $KUBECONFIG, else <BOSUN_HOME>/kubeconfig)',
    },
  ],
  examples: [
    '# Every version of a Deployment, with what changed each time',
    'bosun history deployment/web',
    '',
    '# Short names and groups work as in kubectl',
    'bosun history deploy/web -n shop',
    'bosun history deployments.apps/web --no-diff',
    'bosun history cm/settings -o yaml',
  ],
};

/** The api-client call this command needs. */
export interface HistorySource {
  history(ref: ResourceRef, namespace: string | undefined, name: string): Promise<ObjectHistory>;
}

export interface HistoryDeps {
  readonly color?: boolean;
  /** Tests pass a fake; default: the cluster's API. */
  readonly source?: (conn: Connection) => HistorySource & { close?(): void };
}

const OUTPUTS = ['table', 'json', 'yaml'] as const;

/** `bosun history <type>/<name>`. */
export async function history(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  deps: HistoryDeps = {},
): Promise<number> {
  return runCommand(historySpec, args, out, async (p) => {
    const target = parseObjectArg(p.positionals);
    if (target === undefined) {
      throw new UsageError(
        p.positionals.length === 0
          ? 'you must name one object: <type>/<name>, e.g. deployment/web'
          : `expected one object as <type>/<name> (e.g. deployment/web), got "${p.positionals.join(' ')}"`,
      );
    }
    const output = stringFlag(p, 'output', 'table');
    if (!(OUTPUTS as readonly string[]).includes(output)) {
      throw new UsageError(
        `unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS.join(',')}`,
      );
    }
    const conn = await loadConnection(env, stringFlag(p, 'kubeconfig') || undefined);
    const resources = await discoverResources((path) => apiGetJson(conn, path));
    const r = resolveResourceType(target.type, resources);
    const namespace = r.namespaced ? stringFlag(p, 'namespace') || conn.namespace : undefined;
    const source = (deps.source ?? defaultSource)(conn);
    let h: ObjectHistory;
    try {
      h = await source.history(
        { group: r.group, version: r.version, resource: r.resource },
        namespace,
        target.name,
      );
    } finally {
      source.close?.();
    }
    const what = `${r.group ? `${r.resource}.${r.group}` : r.resource} "${target.name}"${namespace ? ` in namespace "${namespace}"` : ''}`;
    if (h.items.length === 0) {
      const note = compactionNote(h);
      out.error(`no history recorded for ${what}${note ? `\n${note}` : ''}`);
      return 1;
    }
    if (output === 'json') out.info(JSON.stringify(h, null, 2));
    else if (output === 'yaml') out.info(stringify(h, { lineWidth: 0 }).trimEnd());
    else
      out.info(renderHistory(h, { diff: !booleanFlag(p, 'no-diff'), color: deps.color ?? false }));
    return 0;
  });
}

function defaultSource(conn: Connection): HistorySource & { close(): void } {
  return new ApiClient(conn);
}
