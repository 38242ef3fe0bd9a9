import type { KindInfo } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { UserInfo } from '../auth/user';

/**
 * One call on one resource, independent of the transport (REST or gRPC) that carried it: the
 * caller is already authenticated and authorized, and `kind`/`namespace` are resolved.
 */
export interface OperationRequest {
  readonly kind: KindInfo;
  /** The request namespace for namespaced kinds, '' for cluster-scoped ones. */
  readonly namespace: string;
  /** The object's name; '' for create and collection calls. */
  readonly name: string;
  /** '' for the object itself, else e.g. 'status'. */
  readonly subresource: string;
  readonly user: UserInfo;
  readonly dryRun: boolean;
  /** Ignore, Warn or Strict (Kubernetes' fieldValidation); undefined = the server default. */
  readonly fieldValidation?: string;
}

/** What a write answers: the stored object and admission's warnings. */
export interface WriteResult {
  readonly object: StoredObject;
  readonly warnings: readonly string[];
}
