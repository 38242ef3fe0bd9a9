/** The authenticated caller of a request, as Kubernetes' user.Info. */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
}

export const ADMIN_USER: UserInfo = {
  name: 'bosun-admin',
  uid: 'bosun-admin',
  groups: ['system:masters', 'system:authenticated'],
};
