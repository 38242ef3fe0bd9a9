import type { Logger } from '@bosun/common';
import {
  defaultPullPolicy,
  mustPull,
  pullImage,
  formatReference,
  imageError,
  ImageErrorReason,
  parseReference,
  referenceName,
  type ImageStore,
  type PullPolicy,
  type RegistryClient,
} from '@bosun/image';
import type { ContainerImage } from '@bosun/runtime';
import { isNoSpace } from '../disk/no-space';

export interface ProvidedImage {
  readonly image: ContainerImage;
  /** `repo@sha256:...`, for containerStatuses[].imageID. */
  readonly imageID: string;
  readonly pulled: boolean;
}

/** Resolves a container's image to what the runtime needs (pulling when the policy says so). */
export interface ImageProvider {
  /** `onPulling` is called before a pull starts (the Pulling event). */
  ensure(
    image: string,
    policy: PullPolicy | undefined,
    onPulling?: () => void,
  ): Promise<ProvidedImage>;
}

/** Images from @bosun/image: the node's content-addressed store and OCI registries. */
export class StoreImageProvider implements ImageProvider {
  constructor(
    readonly store: ImageStore,
    private readonly registry: RegistryClient,
    private readonly logger: Logger,
  ) {}

  async ensure(
    image: string,
    policy: PullPolicy | undefined,
    onPulling?: () => void,
  ): Promise<ProvidedImage> {
    const ref = parseReference(image);
    const present = await this.store.getImage(image);
    const pulled = mustPull(policy ?? defaultPullPolicy(ref), present !== undefined, image);
    if (pulled) onPulling?.();
    let record;
    let rootfs: string;
    try {
      record = pulled
        ? await pullImage(this.store, this.registry, image, { logger: this.logger })
        : present!;
      rootfs = await this.store.ensureRootfs(record);
    } catch (e) {
      // A full disk is a pull failure (ErrImagePull), as containerd reports it, not a crash.
      if (!isNoSpace(e)) throw e;
      throw imageError(
        ImageErrorReason.NoSpace,
        `failed to pull and unpack image "${image}": ${e instanceof Error ? e.message : String(e)}`,
        { cause: e, context: { image } },
      );
    }
    const config = (await this.store.imageConfig(record)).config ?? {};
    return {
      image: {
        ref: record.reference,
        rootfs,
        entrypoint: config.Entrypoint ?? null,
        cmd: config.Cmd ?? null,
        env: config.Env ?? [],
        workingDir: config.WorkingDir || undefined,
        user: config.User || undefined,
      },
      imageID: `${referenceName(ref)}@${record.indexDigest ?? record.manifestDigest}`,
      pulled,
    };
  }
}

/**
 * Hollow nodes pull nothing: every image "exists" with a placeholder command, so a fake runtime
 * can start it. Images named `*:missing` fail as a registry would (tests of ErrImagePull).
 */
export class FakeImageProvider implements ImageProvider {
  async ensure(image: string): Promise<ProvidedImage> {
    const ref = parseReference(image);
    if (ref.tag === 'missing') {
      throw imageError(ImageErrorReason.NotFound, `${image}: not found (fake image provider)`);
    }
    return {
      image: { ref: formatReference(ref), rootfs: '/nonexistent', cmd: ['/fake'] },
      imageID: `${referenceName(ref)}@sha256:${'0'.repeat(64)}`,
      pulled: false,
    };
  }
}
