import { ImageErrorReason, imageError } from './image-error';
import type { ImageReference } from './reference';

export const PullPolicy = {
  Always: 'Always',
  IfNotPresent: 'IfNotPresent',
  Never: 'Never',
} as const;
export type PullPolicy = (typeof PullPolicy)[keyof typeof PullPolicy];

/** Kubernetes' default: `Always` for `:latest` (or no tag) without a digest, else `IfNotPresent`. */
export function defaultPullPolicy(ref: ImageReference): PullPolicy {
  return !ref.digest && (ref.tag === undefined || ref.tag === 'latest')
    ? PullPolicy.Always
    : PullPolicy.IfNotPresent;
}

/**
 * Whether the node must pull: Always pulls (the registry may have moved the tag), IfNotPresent
 * pulls only when absent, Never never pulls and fails with NeverPull (ErrImageNeverPull) when absent.
 */
export function mustPull(policy: PullPolicy, present: boolean, image: string): boolean {
  switch (policy) {
    case PullPolicy.Always:
      return true;
    case PullPolicy.IfNotPresent:
      return !present;
    case PullPolicy.Never:
      if (!present) {
        throw imageError(
          ImageErrorReason.NeverPull,
          `container image "${image}" is not present with pull policy of Never`,
          { context: { image } },
        );
      }
      return false;
  }
}
