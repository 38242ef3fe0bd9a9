import type { FieldCause } from '@bosun/common';
import { applyDefaults, fieldError, invalid, type KindInfo } from '@bosun/resource-model';
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

  async admit(req: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) await p.mutate?.(req);
    validateObject(req);
    for (const p of this.plugins) await p.validate?.(req);
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

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME_KINDS = new Set(['namespaces', 'services']);

/** Object-level validation every kind shares: names, labels, annotations. */
function validateObject({ kind, object, operation }: AdmissionRequest): void {
  if (operation === Operation.Delete) return;
  const m = object.metadata;
  const causes: FieldCause[] = [];
  const name = m.name ?? '';
  if (name === '' && !m.generateName) {
    causes.push(fieldError.required('metadata.name', 'name or generateName is required'));
  } else if (name !== '') {
    const label = LABEL_NAME_KINDS.has(kind.resource);
    const re = label ? DNS_LABEL : DNS_SUBDOMAIN;
    if (!re.test(name) || name.length > (label ? 63 : 253)) {
      causes.push(
        fieldError.invalid(
          'metadata.name',
          name,
          `a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        ),
      );
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = m[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      causes.push(fieldError.typeInvalid(`metadata.${field}`, map, 'must be a map of strings'));
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string')
        causes.push(fieldError.typeInvalid(`metadata.${field}.${k}`, v, 'must be a string'));
    }
  }
  if (causes.length) throw invalid(kind.kind, kind.group, name || m.generateName || '', causes);
}
