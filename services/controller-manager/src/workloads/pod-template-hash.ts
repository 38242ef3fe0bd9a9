import { canonicalJson } from './canonical-json';
import type { PodTemplate } from './types';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Kubernetes' rand.SafeEncodeString alphabet: no vowels (no words), no look-alike characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Drops what carries no meaning: nulls, empty objects and empty lists (kubectl sends
 * `creationTimestamp: null` and `resources: {}`, as Go serializes them; Kubernetes compares
 * templates semantically, where those equal their absence).
 */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = normalize(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The pod-template-hash, built as Kubernetes builds it: FNV-32a over the template (here its
 * canonical JSON, Kubernetes hashes a Go deep-print, so the values differ but are equally stable),
 * salted with the collision count, printed in decimal and mapped through the safe alphabet.
 */
export function podTemplateHash(template: PodTemplate, collisionCount?: number): string {
  let text = canonicalJson(normalize(template) ?? {});
  if (collisionCount !== undefined) text += `#${collisionCount}`;
  const decimal = String(fnv32a(text));
  let out = '';
  for (const ch of Buffer.from(decimal, 'utf8')) out += SAFE_ALPHABET[ch % SAFE_ALPHABET.length];
  return out;
}

/** Same template once the pod-template-hash label is ignored (how a Deployment finds its new RS). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  const strip = (t: PodTemplate | undefined): PodTemplate | undefined => {
    const copy = structuredClone(t);
    if (!copy) return copy;
    const labels = copy.metadata?.labels;
    if (labels) {
      delete labels[POD_TEMPLATE_HASH_LABEL];
      if (Object.keys(labels).length === 0) delete copy.metadata?.labels;
    }
    if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
    return copy;
  };
  return canonicalJson(normalize(strip(a)) ?? {}) === canonicalJson(normalize(strip(b)) ?? {});
}
