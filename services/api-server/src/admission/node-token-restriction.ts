import { BosunError, ErrorCode } from '@bosun/common';
import { secretValue } from '../auth/bootstrap-token';
import { NODE_TOKEN_SECRET_PREFIX, NODE_TOKEN_SECRET_TYPE } from '../auth/node-token';
import { Groups } from '../auth/user';
import { Operation, type AdmissionPlugin } from './admission';

/**
 * What a bootstrap token may write (the authorizer lets it create or update kube-system Secrets):
 * only a well-formed node token, `node-token-<node>` of type `bosun.dev/node-token` naming that
 * node. Runs after stringData is merged, so it sees the final `data`.
 */
export const nodeTokenRestriction: AdmissionPlugin = {
  name: 'NodeTokenRestriction',
  validate: ({ object, kind, user, operation }) => {
    if (kind.group !== '' || kind.resource !== 'secrets' || operation === Operation.Delete) return;
    if (!user.groups.includes(Groups.Bootstrappers) || user.groups.includes(Groups.Masters)) return;
    const name = object.metadata.name ?? '';
    const node = name.slice(NODE_TOKEN_SECRET_PREFIX.length);
    const why = !name.startsWith(NODE_TOKEN_SECRET_PREFIX)
      ? `may only write Secrets named ${NODE_TOKEN_SECRET_PREFIX}<node>`
      : object['type'] !== NODE_TOKEN_SECRET_TYPE
        ? `may only write Secrets of type ${NODE_TOKEN_SECRET_TYPE}`
        : secretValue(object, 'node-name') !== node
          ? `data.node-name must be "${node}"`
          : undefined;
    if (why)
      throw new BosunError(ErrorCode.Forbidden, `User "${user.name}" ${why}`, {
        context: { name, kind: 'secrets', group: '' },
      });
  },
};
