import { BosunError, ErrorCode } from '@bosun/common';
import type { StoredObject } from '@bosun/store';
import { nodeNameOf } from '../auth/authorizer';
import { Groups } from '../auth/user';
import { Operation, type AdmissionPlugin, type AdmissionRequest } from './admission';

/** Labels only an administrator may put on a Node (Kubernetes' NodeRestriction prefix). */
export const RESTRICTED_LABEL_PREFIX = 'node-restriction.kubernetes.io/';

function forbid(req: AdmissionRequest, why: string): never {
  const name = req.object.metadata.name ?? '';
  throw new BosunError(ErrorCode.Forbidden, `node "${nodeNameOf(req.user)}" ${why}`, {
    context: { name, kind: req.kind.resource, group: req.kind.group },
  });
}

const restrictedLabels = (o: StoredObject | undefined): string =>
  JSON.stringify(
    Object.entries(o?.metadata.labels ?? {})
      .filter(([k]) => k.startsWith(RESTRICTED_LABEL_PREFIX))
      .sort(),
  );

function checkNode(req: AdmissionRequest, node: string): void {
  if (req.object.metadata.name !== node)
    forbid(req, `may not modify node "${req.object.metadata.name}"`);
  if (restrictedLabels(req.object) !== restrictedLabels(req.oldObject))
    forbid(req, `may not set or change labels under ${RESTRICTED_LABEL_PREFIX}`);
}

function checkPod(req: AdmissionRequest, node: string): void {
  if (req.operation === Operation.Create) forbid(req, 'may not create pods');
  const current = req.oldObject ?? req.object;
  const boundTo = (current.spec as { nodeName?: string } | undefined)?.nodeName;
  if (boundTo !== node)
    forbid(req, `may only change pods bound to it, not pod "${current.metadata.name}"`);
}

/**
 * Kubernetes' NodeRestriction for Bosun's node agents (users in `system:nodes`): a node writes only
 * its own Node (never the restricted labels) and its own Lease, and changes or deletes only pods
 * bound to it — so a node cannot redirect another Node's address or certificate to itself, nor
 * touch other nodes' workloads. The authorizer already refuses what the request alone shows.
 */
export const nodeRestriction: AdmissionPlugin = {
  name: 'NodeRestriction',
  validate: (req) => {
    const { user, kind } = req;
    if (!user.groups.includes(Groups.Nodes) || user.groups.includes(Groups.Masters)) return;
    const node = nodeNameOf(user);
    if (kind.group === '' && kind.resource === 'nodes' && req.operation !== Operation.Delete)
      checkNode(req, node);
    else if (kind.group === '' && kind.resource === 'pods') checkPod(req, node);
    else if (kind.group === 'coordination.k8s.io' && kind.resource === 'leases') {
      const m = req.object.metadata;
      if (m.namespace !== 'kube-node-lease' || m.name !== node)
        forbid(req, `may only write its own Lease kube-node-lease/${node}`);
    }
  },
};
