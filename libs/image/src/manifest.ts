import { ImageErrorReason, imageError } from './image-error';
import { isDigest } from './digest';

export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

/** Everything a manifest GET accepts, indexes first so multi-arch images resolve by platform. */
export const MANIFEST_ACCEPT = [
  MediaType.OciIndex,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.DockerManifest,
].join(', ');

const LAYER_TYPES: ReadonlySet<string> = new Set([
  MediaType.OciLayer,
  MediaType.OciLayerGzip,
  MediaType.DockerLayer,
  MediaType.DockerLayerGzip,
]);

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Record<string, string>;
}

export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

function bad(why: string): never {
  throw imageError(ImageErrorReason.InvalidManifest, `invalid manifest: ${why}`);
}

function descriptor(v: unknown, where: string): Descriptor {
  if (typeof v !== 'object' || v === null) bad(`${where} is not an object`);
  const d = v as Record<string, unknown>;
  if (typeof d['digest'] !== 'string' || !isDigest(d['digest']))
    bad(`${where}.digest must be sha256`);
  if (typeof d['size'] !== 'number' || d['size'] < 0) bad(`${where}.size`);
  if (typeof d['mediaType'] !== 'string') bad(`${where}.mediaType`);
  return d as unknown as Descriptor;
}

/**
 * Parses manifest bytes into an index or an image manifest. The media type comes from the body
 * when present, else from the Content-Type header (Docker v2 manifests always carry it inline).
 */
export function parseManifest(body: Buffer, contentType?: string): ImageManifest | ImageIndex {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw imageError(ImageErrorReason.InvalidManifest, 'manifest is not JSON', { cause: e });
  }
  if (typeof json !== 'object' || json === null) bad('not an object');
  const mediaType =
    (typeof json['mediaType'] === 'string' ? json['mediaType'] : undefined) ??
    contentType?.split(';')[0]?.trim() ??
    (Array.isArray(json['manifests']) ? MediaType.OciIndex : MediaType.OciManifest);
  if (mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList) {
    if (!Array.isArray(json['manifests'])) bad('index without manifests');
    const manifests = (json['manifests'] as unknown[]).map((m, i) =>
      descriptor(m, `manifests[${i}]`),
    );
    return { kind: 'index', mediaType, manifests };
  }
  if (mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest) {
    if (!Array.isArray(json['layers'])) bad('manifest without layers');
    const config = descriptor(json['config'], 'config');
    const layers = (json['layers'] as unknown[]).map((l, i) => descriptor(l, `layers[${i}]`));
    for (const l of layers) {
      if (!LAYER_TYPES.has(l.mediaType)) {
        throw imageError(
          ImageErrorReason.UnsupportedMediaType,
          `unsupported layer media type ${l.mediaType}`,
          {
            context: { mediaType: l.mediaType, digest: l.digest },
          },
        );
      }
    }
    return { kind: 'manifest', mediaType, config, layers };
  }
  throw imageError(
    ImageErrorReason.UnsupportedMediaType,
    `unsupported manifest media type ${mediaType}`,
    {
      context: { mediaType },
    },
  );
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The OCI platform of this node (Node's `process.arch` mapped to GOARCH names). */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: NODE_ARCH[process.arch] ?? process.arch };
}

/**
 * Picks the manifest for `platform` from an index: os and architecture must match; a matching
 * variant wins over none. Attestation entries (platform unknown/unknown) never match.
 */
export function selectPlatform(index: ImageIndex, platform: Platform): Descriptor {
  const candidates = index.manifests.filter(
    (m) =>
      m.platform?.os === platform.os &&
      m.platform.architecture === platform.architecture &&
      (m.mediaType === MediaType.OciManifest || m.mediaType === MediaType.DockerManifest),
  );
  const exact = candidates.find(
    (m) => platform.variant && m.platform?.variant === platform.variant,
  );
  const pick = exact ?? candidates[0];
  if (!pick) {
    const want = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
    throw imageError(
      ImageErrorReason.NoMatchingPlatform,
      `no manifest for platform ${want} in the index`,
      {
        context: { platform: want },
      },
    );
  }
  return pick;
}
