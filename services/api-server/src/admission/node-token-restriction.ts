import { BosunError, ErrorCode, isBosunError } from '@bosun/common';
import type { ObjectStore } from '@bosun/store';
import { secretValue } from '../auth/bootstrap-token';
import { NODE_TOKEN_SECRET_PREFIX, NODE_TOKEN_SECRET_TYPE } from '../auth/node-token';
import { Groups } from '../auth/user';
import { Operation, type AdmissionPlugin } from './admission';

const NODES = { group: '', resource: 'nodes', namespaced: false } as const;

/**
 * What a bootstrap token may write (the authorizer lets it create kube-system Secrets): only a
 * well-formed node token, `node-token-<node>` of type `bosun.dev/node-token` naming that node, and
 * only for a node that does not exist yet — a bootstrap token registers new nodes, it never takes
 * over an existing one's identity. Runs after stringData is merged, so it sees the final `data`.
 */
export function nodeTokenRestriction(store: Pick<ObjectStore, 'get'>): AdmissionPlugin {
  return {
    name: 'NodeTokenRestriction',
    validate: async ({ object, kind, user, operation }) => {
      if (kind.group !== '' || kind.resource !== 'secrets' || operation === Operation.Delete)
        return;
      if (!user.groups.includes(Groups.Bootstrappers) || user.groups.includes(Groups.Masters))
        return;
      const name = object.metadata.name ?? '';
      const node = name.slice(NODE_TOKEN_SECRET_PREFIX.length);
      const why = !name.startsWith(NODE_TOKEN_SECRET_PREFIX)
        ? `may only write Secrets named ${NODE_TOKEN_SECRET_PREFIX}<node>`
        : object['type'] !== NODE_TOKEN_SECRET_TYPE
          ? `may only write Secrets of type ${NODE_TOKEN_SECRET_TYPE}`
          : secretValue(object, 'node-name') !== node
            ? `data.node-name must be "${node}"`
            : operation !== Operation.Create
              ? 'may only create a node token, never replace one'
              : (await nodeExists(store, node))
                ? `may not register node "${node}": it exists already (delete the Node to join it again)`
                : undefined;
      if (why)
        throw new BosunError(ErrorCode.Forbidden, `User "${user.name}" ${why}`, {
          context: { name, kind: 'secrets', group: '' },
        });
    },
  };
}

async function nodeExists(store: Pick<ObjectStore, 'get'>, node: string): Promise<boolean> {
  try {
    await store.get(NODES, '', node);
    return true;
  } catch (e) {
    if (isBosunError(e, ErrorCode.NotFound)) return false;
    throw e;
  }
}
