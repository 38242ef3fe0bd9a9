import { BosunError, ErrorCode, isBosunError } from '@bosun/common';
import { badRequest } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import type { ApiContext } from '../handlers/context';
import { createObject } from './create';
import type { OperationRequest } from './operation';
import { writeUpdate } from './write-update';

export interface LeaseClaim {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
}

export interface LeaseState {
  readonly held: boolean;
  readonly holderIdentity: string;
  readonly renewTimeUnixMs: number;
  readonly resourceVersion: string;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

function stateOf(lease: StoredObject, me: string): LeaseState {
  const spec = (lease.spec ?? {}) as LeaseSpec;
  return {
    held: spec.holderIdentity === me,
    holderIdentity: spec.holderIdentity ?? '',
    renewTimeUnixMs: spec.renewTime ? Date.parse(spec.renewTime) : 0,
    resourceVersion: String(lease.metadata.resourceVersion ?? ''),
  };
}

/** A lease is free when nobody holds it or its holder let it lapse. */
function claimable(spec: LeaseSpec, me: string, now: number): boolean {
  if (!spec.holderIdentity || spec.holderIdentity === me) return true;
  const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
  return renewed + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
}

/**
 * Acquires or renews a coordination.k8s.io Lease for `claim.holderIdentity`: creates it when
 * absent, renews it when held by the same identity, takes it over when expired, and otherwise
 * answers who holds it. Two racing claimants are serialized by the store's optimistic concurrency.
 */
export async function renewLease(
  ctx: ApiContext,
  req: OperationRequest,
  claim: LeaseClaim,
  retried = false,
): Promise<LeaseState> {
  const me = claim.holderIdentity;
  if (me === '') throw badRequest('holder_identity is required');
  if (claim.leaseDurationSeconds <= 0) throw badRequest('lease_duration_seconds must be positive');
  const now = Date.now();
  try {
    const { object } = await writeUpdate(ctx, req, (current) => {
      const spec = (current.spec ?? {}) as LeaseSpec;
      if (!claimable(spec, me, now)) throw new LeaseHeld(current);
      const taking = spec.holderIdentity !== me;
      const next: LeaseSpec = {
        ...spec,
        holderIdentity: me,
        leaseDurationSeconds: claim.leaseDurationSeconds,
        renewTime: microTime(now),
        ...(taking
          ? { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }
          : {}),
      };
      return { ...structuredClone(current), spec: next };
    });
    return stateOf(object, me);
  } catch (e) {
    if (e instanceof LeaseHeld) return stateOf(e.lease, me);
    if (!isBosunError(e, ErrorCode.NotFound)) throw e;
  }
  const spec: LeaseSpec = {
    holderIdentity: me,
    leaseDurationSeconds: claim.leaseDurationSeconds,
    acquireTime: microTime(now),
    renewTime: microTime(now),
    leaseTransitions: 0,
  };
  const lease = { metadata: { name: req.name, namespace: req.namespace }, spec } as StoredObject;
  try {
    const { object } = await createObject(ctx, req, lease);
    return stateOf(object, me);
  } catch (e) {
    // Another claimant created it first: the lease exists now, so claim it the normal way.
    if (isBosunError(e, ErrorCode.AlreadyExists) && !retried)
      return renewLease(ctx, req, claim, true);
    throw e;
  }
}

/** Thrown out of the update to stop it: someone else holds a live lease. */
class LeaseHeld extends BosunError {
  constructor(readonly lease: StoredObject) {
    super(ErrorCode.Conflict, 'the lease is held by another identity');
  }
}
