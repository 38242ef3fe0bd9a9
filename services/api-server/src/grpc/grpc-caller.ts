import type { Metadata } from '@grpc/grpc-js';
import { BosunError, ErrorCode } from '@bosun/common';
import type { Authenticator } from '../auth/token-authenticator';
import type { Authorizer } from '../auth/authorizer';
import type { UserInfo } from '../auth/user';
import type { ApiContext } from '../handlers/context';
import type { OperationRequest } from '../operations/operation';
import { checkVerb, resolveTarget, type Target } from '../operations/target';

/** The proto's ResourceRef, with every field present (proto3 defaults). */
export const emptyTarget: Target = {
  group: '',
  version: '',
  resource: '',
  namespace: '',
  name: '',
  subresource: '',
};

export interface CallOptions {
  readonly dryRun?: boolean;
  readonly fieldValidation?: string;
}

/**
 * The gRPC twin of the REST router's front half: the bearer token in the `authorization`
 * metadata, then the authorizer, then the kind and verb checks; what is left is an
 * OperationRequest for the same operations REST uses.
 */
export class GrpcCaller {
  constructor(
    readonly ctx: ApiContext,
    private readonly authenticator: Authenticator,
    private readonly authorizer: Authorizer,
  ) {}

  authenticate(metadata: Metadata | undefined): Promise<UserInfo> {
    const value = metadata?.get('authorization')[0];
    return this.authenticator.authenticate(typeof value === 'string' ? value : undefined);
  }

  /** Authenticates, authorizes `verb` on `target` and resolves it to an operation request. */
  async request(
    metadata: Metadata | undefined,
    ref: Target | undefined,
    verb: string,
    opts: CallOptions = {},
  ): Promise<OperationRequest> {
    const t = { ...emptyTarget, ...ref };
    const user = await this.authenticate(metadata);
    const decision = await this.authorizer.authorize(user, { ...t, verb });
    if (!decision.allowed)
      throw new BosunError(ErrorCode.Forbidden, decision.reason, {
        context: { name: t.name, kind: t.resource, group: t.group },
      });
    const { kind, namespace } = resolveTarget(this.ctx.registry, t, verb);
    checkVerb(kind, verb, t.subresource, t.name);
    return {
      kind,
      namespace,
      name: t.name,
      subresource: t.subresource,
      user,
      dryRun: opts.dryRun ?? false,
      fieldValidation: opts.fieldValidation,
    };
  }
}
