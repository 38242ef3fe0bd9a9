import { ImageErrorReason, imageError } from './image-error';

/** A parsed, normalized image reference (`docker.io/library/busybox:latest`). */
export interface ImageReference {
  /** Registry host as users name it, with port (`docker.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Repository path inside the registry (`library/busybox`). */
  readonly repository: string;
  /** Tag; `latest` when neither tag nor digest was given. */
  readonly tag?: string;
  /** `sha256:<hex>` when pinned by digest. */
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST_LABEL = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const DOMAIN = new RegExp(
  `^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?$`,
);

function invalid(input: string, why: string): never {
  throw imageError(
    ImageErrorReason.InvalidReference,
    `invalid image reference "${input}": ${why}`,
    {
      context: { reference: input },
    },
  );
}

/** Splits `name[:tag][@digest]` into its parts without validating them. */
function splitTagAndDigest(input: string): { name: string; tag?: string; digest?: string } {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/** Docker's rule: the first component is a registry when it looks like a host. */
function splitDomain(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const registry = first === 'index.docker.io' ? DOCKER_HUB : first;
    const repository = name.slice(slash + 1);
    return {
      registry,
      repository:
        registry === DOCKER_HUB && !repository.includes('/') ? `library/${repository}` : repository,
    };
  }
  return { registry: DOCKER_HUB, repository: slash < 0 ? `library/${name}` : name };
}

/**
 * Parses a reference the way Docker and the kubelet do: `busybox` is `docker.io/library/busybox:latest`,
 * a first component with a dot, a colon or `localhost` is a registry, and `@sha256:` pins a digest.
 * Throws a BosunError (reason InvalidReference) for anything else.
 */
export function parseReference(input: string): ImageReference {
  if (input.length === 0) invalid(input, 'empty');
  const { name, tag, digest } = splitTagAndDigest(input);
  if (digest !== undefined && !DIGEST.test(digest))
    invalid(input, 'digest must be sha256:<64 hex>');
  if (tag !== undefined && !TAG.test(tag)) invalid(input, 'bad tag');
  if (name.length === 0) invalid(input, 'empty name');
  const { registry, repository } = splitDomain(name);
  if (!DOMAIN.test(registry)) invalid(input, 'bad registry host');
  if (repository.length === 0 || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
    invalid(input, 'repository must be lowercase path components');
  }
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) invalid(input, 'name too long');
  return {
    registry,
    repository,
    tag: tag ?? (digest === undefined ? 'latest' : undefined),
    digest,
  };
}

/** The canonical string form: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `registry/repository` without tag or digest. */
export function referenceName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The host to send API requests to (Docker Hub's API lives on another host than its name). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** Loopback registries are reached over plain http, like Docker's default insecure registries. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(1, registry.indexOf(']'))
    : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
