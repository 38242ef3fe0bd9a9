import { BosunError, ErrorCode, type BosunErrorOptions } from '@bosun/common';

/**
 * Why an image operation failed. The node agent turns these into the container's waiting reason
 * (Kubernetes' `ErrImagePull`, `ErrImageNeverPull`, `InvalidImageName`) through `kubernetesReason`.
 */
export const ImageErrorReason = {
  InvalidReference: 'InvalidReference',
  NotFound: 'NotFound',
  Unauthorized: 'Unauthorized',
  DigestMismatch: 'DigestMismatch',
  Unreachable: 'Unreachable',
  NeverPull: 'NeverPull',
  InvalidManifest: 'InvalidManifest',
  UnsupportedMediaType: 'UnsupportedMediaType',
  NoMatchingPlatform: 'NoMatchingPlatform',
  UnsafeLayer: 'UnsafeLayer',
  InvalidArchive: 'InvalidArchive',
  RegistryError: 'RegistryError',
  /** The node's disk filled while pulling or unpacking (ENOSPC). */
  NoSpace: 'NoSpace',
} as const;
export type ImageErrorReason = (typeof ImageErrorReason)[keyof typeof ImageErrorReason];

const CODE: Record<ImageErrorReason, ErrorCode> = {
  InvalidReference: ErrorCode.Invalid,
  NotFound: ErrorCode.NotFound,
  Unauthorized: ErrorCode.Unauthorized,
  DigestMismatch: ErrorCode.Conflict,
  Unreachable: ErrorCode.Unavailable,
  NeverPull: ErrorCode.NotFound,
  InvalidManifest: ErrorCode.Invalid,
  UnsupportedMediaType: ErrorCode.UnsupportedMediaType,
  NoMatchingPlatform: ErrorCode.NotFound,
  UnsafeLayer: ErrorCode.Invalid,
  InvalidArchive: ErrorCode.Invalid,
  RegistryError: ErrorCode.Unavailable,
  NoSpace: ErrorCode.Unavailable,
};

/** Builds the BosunError for an image failure; `context.reason` carries the ImageErrorReason. */
export function imageError(
  reason: ImageErrorReason,
  message: string,
  options: BosunErrorOptions = {},
): BosunError {
  return new BosunError(CODE[reason], message, {
    ...options,
    context: { ...options.context, reason },
  });
}

/** The ImageErrorReason of an error, if it is one of ours. */
export function imageErrorReason(e: unknown): ImageErrorReason | undefined {
  if (!(e instanceof BosunError)) return undefined;
  const r = e.context['reason'];
  return typeof r === 'string' && r in CODE ? (r as ImageErrorReason) : undefined;
}

/** Kubernetes' container waiting reason for a failed image step. */
export function kubernetesReason(
  e: unknown,
): 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName' {
  const reason = imageErrorReason(e);
  if (reason === ImageErrorReason.NeverPull) return 'ErrImageNeverPull';
  if (reason === ImageErrorReason.InvalidReference) return 'InvalidImageName';
  return 'ErrImagePull';
}
