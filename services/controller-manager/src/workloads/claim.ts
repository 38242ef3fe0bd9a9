import { controllerRef } from '@bosun/controller-kit';
import { selectorMatches } from '@bosun/resource-model';
import type { WritePort } from '../ports/write-port';
import type { ResourceRef } from '@bosun/api-client';
import type { LabelSelector, ObjectMeta, OwnerRef } from './types';

interface Owned {
  metadata: ObjectMeta;
  [k: string]: unknown;
}

export interface ClaimPlan<T> {
  /** Controlled by the owner and still matching. */
  readonly owned: T[];
  /** Orphans that match: take them. */
  readonly adopt: T[];
  /** Controlled by the owner but no longer matching: let them go. */
  readonly release: T[];
}

/**
 * Kubernetes' ControllerRefManager rules: what an owner controls is decided by its selector and
 * the controller reference together; an object another controller owns is never touched.
 */
export function planClaims<T extends Owned>(
  owner: { metadata: ObjectMeta },
  selector: LabelSelector,
  candidates: readonly T[],
): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (const obj of candidates) {
    const matches = selectorMatches(selector, obj.metadata.labels ?? {});
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) plan.owned.push(obj);
      else if (obj.metadata.deletionTimestamp === undefined) plan.release.push(obj);
      continue;
    }
    if (matches && !ownerDeleting && obj.metadata.deletionTimestamp === undefined) {
      plan.adopt.push(obj);
    }
  }
  return plan;
}

/**
 * Adopts and releases through merge patches that carry the object's resourceVersion, so a claim
 * based on a stale view fails with Conflict instead of overwriting someone else's owner.
 * Returns the adopted objects as the API answered them.
 */
export async function applyClaims<T extends Owned>(
  writer: WritePort,
  ref: ResourceRef,
  plan: ClaimPlan<T>,
  controllerRef: OwnerRef,
): Promise<T[]> {
  const adopted: T[] = [];
  for (const obj of plan.adopt) {
    const refs = [...(obj.metadata.ownerReferences ?? []), controllerRef];
    adopted.push(await patchOwners<T>(writer, ref, obj, refs));
  }
  for (const obj of plan.release) {
    const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== controllerRef.uid);
    await patchOwners<T>(writer, ref, obj, refs);
  }
  return adopted;
}

function patchOwners<T extends Owned>(
  writer: WritePort,
  ref: ResourceRef,
  obj: Owned,
  refs: OwnerRef[],
): Promise<T> {
  const m = obj.metadata;
  return writer.patch<T & { metadata: ObjectMeta; apiVersion?: string; kind?: string }>(
    ref,
    m.namespace ?? '',
    m.name ?? '',
    {
      metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: m.resourceVersion },
    },
  );
}
