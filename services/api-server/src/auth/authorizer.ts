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

/**
 * Bosun's authorizer until RBAC: administrators (`system:masters`) and the control-plane
 * components may do everything; nodes (`system:nodes`) everything except touch kube-system
 * Secrets other than their own node token; bootstrap tokens (`system:bootstrappers`) only read
 * discovery and create or replace a node token (NodeTokenRestriction admission checks the body).
 * Coarser than Kubernetes' Node authorizer and RBAC: a node can still read every other Secret and
 * write other nodes' objects.
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
    if (user.groups.includes(Groups.Nodes)) {
      const own = `${NODE_TOKEN_SECRET_PREFIX}${user.name.replace(/^system:node:/, '')}`;
      if (!isSecretInKubeSystem(attrs)) return { allowed: true, reason: 'system:nodes' };
      if (attrs.name === own && ['get', 'update', 'patch'].includes(attrs.verb))
        return { allowed: true, reason: 'own node token' };
      return denied(user, attrs);
    }
    if (user.groups.includes(Groups.Bootstrappers) && isSecretInKubeSystem(attrs)) {
      const name = attrs.name ?? '';
      if (!attrs.subresource && attrs.verb === 'create' && name === '')
        return { allowed: true, reason: 'bootstrap: create a node token' };
      if (
        !attrs.subresource &&
        attrs.verb === 'update' &&
        name.startsWith(NODE_TOKEN_SECRET_PREFIX)
      )
        return { allowed: true, reason: 'bootstrap: replace a node token' };
    }
    return denied(user, attrs);
  }
}
