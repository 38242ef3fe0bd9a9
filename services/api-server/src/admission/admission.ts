import {
  applyDefaults,
  validateCreate,
  validateUpdate,
  type KindInfo,
} from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { UserInfo } from '../auth/user';

export const Operation = { Create: 'CREATE', Update: 'UPDATE', Delete: 'DELETE' } as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

export interface AdmissionRequest {
  readonly operation: Operation;
  readonly kind: KindInfo;
  readonly subresource: string;
  readonly user: UserInfo;
  readonly object: StoredObject;
  readonly oldObject?: StoredObject;
  /** The `fieldValidation` query parameter: Ignore, Warn (default) or Strict. */
  readonly fieldValidation?: string;
}

/** A mutating plugin changes the object in place; a validating one throws to reject it. */
export interface AdmissionPlugin {
  readonly name: string;
  mutate?(req: AdmissionRequest): void | Promise<void>;
  validate?(req: AdmissionRequest): void | Promise<void>;
}

/**
 * The write pipeline after authn/authz: every mutating plugin, then validation, then every
 * validating plugin, in the order given. Webhooks plug in as plugins later.
 */
export class Admission {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  /** Runs the pipeline; resolves with the warnings for the `Warning` response header. */
  async admit(req: AdmissionRequest): Promise<string[]> {
    for (const p of this.plugins) await p.mutate?.(req);
    const warnings = validateObject(req);
    for (const p of this.plugins) await p.validate?.(req);
    return warnings;
  }
}

/** Kubernetes' defaulting for built-in kinds (resource-model), on create and update. */
export const defaulting: AdmissionPlugin = {
  name: 'Defaulting',
  mutate: ({ object, subresource }) => {
    if (subresource === '') applyDefaults(object);
  },
};

/** Namespaces are Active from birth and carry their name as a label, as in Kubernetes. */
export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  mutate: ({ object, kind, operation, subresource }) => {
    if (kind.resource !== 'namespaces' || subresource !== '' || operation === Operation.Delete)
      return;
    const name = object.metadata.name;
    if (name)
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
    if (operation === Operation.Create) object.status = { phase: 'Active' };
  },
};

/** Schema, metadata and kind rules from resource-model; unknown fields per fieldValidation. */
function validateObject(req: AdmissionRequest): string[] {
  if (req.operation === Operation.Delete) return [];
  const opts = { fieldValidation: req.fieldValidation || undefined };
  const outcome =
    req.operation === Operation.Create
      ? validateCreate(req.kind, req.object, opts)
      : validateUpdate(req.kind, req.object, req.oldObject, opts);
  return outcome.warnings;
}
