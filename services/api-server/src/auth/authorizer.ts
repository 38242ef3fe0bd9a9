import { NODE_TOKEN_SECRET_PREFIX } from './node-token';
import { COMPONENT_USERS, Groups, type UserInfo } from './user';

/** What a request wants to do, as Kubernetes' authorizer.Attributes. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group?: string;
  readonly version?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Set for non-resource requests (`/version`, `/healthz`, discovery). */
  readonly path?: string;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

export interface Authorizer {
  authorize(user: UserInfo, attrs: ResourceAttributes): Decision | Promise<Decision>;
}

/**
 * Allows members of `system:masters` everything and denies everyone else, naming why. RBAC will
 * replace it; the interface stays.
 */
export class AdminOnlyAuthorizer implements Authorizer {
  authorize(user: UserInfo, attrs: ResourceAttributes): Decision {
    if (user.groups.includes('system:masters')) return { allowed: true, reason: 'system:masters' };
    const what = attrs.resource
      ? `${attrs.verb} resource "${attrs.resource}" in API group "${attrs.group ?? ''}"`
      : `${attrs.verb} path "${attrs.path ?? ''}"`;
    return {
      allowed: false,
      reason: `User "${user.name}" cannot ${what}${attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ''}`,
    };
  }
}

const denied = (user: UserInfo, attrs: ResourceAttributes): Decision =>
  new AdminOnlyAuthorizer().authorize(user, attrs);

const isSecretInKubeSystem = (a: ResourceAttributes): boolean =>
  (a.group ?? '') === '' && a.resource === 'secrets' && a.namespace === 'kube-system';

const WRITE_VERBS: ReadonlySet<string> = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

/** The node a `system:node:<name>` user is. */
export const nodeNameOf = (user: UserInfo): string => user.name.replace(/^system:node:/, '');

/**
 * What a node may do, from the request alone (the NodeRestriction admission plugin checks the
 * objects): Secrets only one at a time by name — never a list or watch, which in any namespace or
 * across all of them would hand it every other node's and every bootstrap token — and in
 * kube-system only its own node token; write only its own Node (never delete one) and its own
 * Lease in kube-node-lease. Coarser than Kubernetes' Node authorizer, which also limits reads to
 * what the node's own pods reference.
 */
function nodeDecision(user: UserInfo, a: ResourceAttributes): Decision {
  const node = nodeNameOf(user);
  const group = a.group ?? '';
  const write = WRITE_VERBS.has(a.verb);
  if (group === '' && a.resource === 'secrets') {
    if (isSecretInKubeSystem(a) && a.name === `${NODE_TOKEN_SECRET_PREFIX}${node}`)
      return ['get', 'update', 'patch'].includes(a.verb)
        ? { allowed: true, reason: 'own node token' }
        : denied(user, a);
    if (a.verb === 'get' && a.name && a.namespace && !isSecretInKubeSystem(a))
      return { allowed: true, reason: 'system:nodes: a Secret by name' };
    return denied(user, a);
  }
  if (group === '' && a.resource === 'pods' && a.subresource === 'binding') return denied(user, a); // Scheduling is the scheduler's.
  if (group === '' && a.resource === 'nodes' && write) {
    if (a.verb === 'delete' || a.verb === 'deletecollection') return denied(user, a);
    // A create names no object here; NodeRestriction checks the body's name.
    if (a.name && a.name !== node) return denied(user, a);
  }
  if (group === 'coordination.k8s.io' && a.resource === 'leases' && write) {
    if (a.namespace !== 'kube-node-lease' || (a.name && a.name !== node)) return denied(user, a);
  }
  return { allowed: true, reason: 'system:nodes' };
}

/**
 * Bosun's authorizer until RBAC: administrators (`system:masters`) and the control-plane
 * components may do everything; nodes (`system:nodes`) what `nodeDecision` allows; bootstrap
 * tokens (`system:bootstrappers`) only read discovery and create a node token — never replace one,
 * which would take over that node's identity (NodeTokenRestriction admission checks the body, and
 * that the node does not exist yet).
 */
export class DefaultAuthorizer implements Authorizer {
  authorize(user: UserInfo, attrs: ResourceAttributes): Decision {
    if (user.groups.includes(Groups.Masters)) return { allowed: true, reason: 'system:masters' };
    if (COMPONENT_USERS.has(user.name)) return { allowed: true, reason: 'control-plane component' };
    if (
      attrs.resource === undefined &&
      attrs.verb === 'get' &&
      user.groups.includes(Groups.Authenticated)
    )
      return { allowed: true, reason: 'discovery' };
    if (attrs.resource === '*' || attrs.group === '*') return denied(user, attrs);
    if (user.groups.includes(Groups.Nodes)) return nodeDecision(user, attrs);
    if (user.groups.includes(Groups.Bootstrappers) && isSecretInKubeSystem(attrs)) {
      if (!attrs.subresource && attrs.verb === 'create' && (attrs.name ?? '') === '')
        return { allowed: true, reason: 'bootstrap: create a node token' };
    }
    return denied(user, attrs);
  }
}
