/** The authenticated caller of a request, as Kubernetes' user.Info. */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
}

/** Well-known group names (Kubernetes' own). */
export const Groups = {
  Masters: 'system:masters',
  Authenticated: 'system:authenticated',
  Bootstrappers: 'system:bootstrappers',
  Nodes: 'system:nodes',
} as const;

export const ADMIN_USER: UserInfo = {
  name: 'bosun-admin',
  uid: 'bosun-admin',
  groups: [Groups.Masters, Groups.Authenticated],
};

/**
 * The control-plane components that get a token in `<BOSUN_HOME>/tokens.csv` and a kubeconfig of
 * their own, so their writes carry their name in the event log.
 */
export const COMPONENTS = [
  { user: 'system:kube-scheduler', kubeconfig: 'scheduler.kubeconfig' },
  { user: 'system:kube-controller-manager', kubeconfig: 'controller-manager.kubeconfig' },
  { user: 'system:cloud-controller-manager', kubeconfig: 'cloud-controller-manager.kubeconfig' },
] as const;

export const COMPONENT_USERS: ReadonlySet<string> = new Set(COMPONENTS.map((c) => c.user));

/** Adds `system:authenticated`, as Kubernetes does for every authenticated user. */
export function authenticatedUser(name: string, uid: string, groups: readonly string[]): UserInfo {
  return {
    name,
    uid,
    groups: groups.includes(Groups.Authenticated) ? groups : [...groups, Groups.Authenticated],
  };
}
