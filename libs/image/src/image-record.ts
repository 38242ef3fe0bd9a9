import type { Descriptor, Platform } from './manifest';

/** What the store knows of one pulled or loaded image, keyed by its reference. */
export interface ImageRecord {
  /** Canonical reference it was pulled or loaded as (`docker.io/library/busybox:1.36`). */
  readonly reference: string;
  /** Digest of the platform-specific image manifest (stored as a blob). */
  readonly manifestDigest: string;
  /** Digest of the index the manifest was picked from, when the reference named an index. */
  readonly indexDigest?: string;
  /** Digest of the image config: the image ID. */
  readonly configDigest: string;
  readonly layers: readonly Descriptor[];
  readonly platform?: Platform;
  /** ISO time the record was written. */
  readonly storedAt: string;
}

/** The parts of the OCI image config a runtime needs to start a container. */
export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly config?: {
    readonly User?: string;
    readonly Env?: readonly string[];
    readonly Entrypoint?: readonly string[] | null;
    readonly Cmd?: readonly string[] | null;
    readonly WorkingDir?: string;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
    readonly StopSignal?: string;
  };
  readonly rootfs?: { readonly type: string; readonly diff_ids: readonly string[] };
}
