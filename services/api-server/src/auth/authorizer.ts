import type { UserInfo } from './user';

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
