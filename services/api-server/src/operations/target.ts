import { BosunError, ErrorCode } from '@bosun/common';
import { methodNotSupported, type KindInfo, type KindRegistry } from '@bosun/resource-model';

/** What a call addresses, the way a Kubernetes REST path does. */
export interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly subresource: string;
}

export interface ResolvedTarget {
  readonly kind: KindInfo;
  /** The request namespace for namespaced kinds, '' for cluster-scoped ones. */
  readonly namespace: string;
}

export function resourceNotFound(): BosunError {
  return new BosunError(ErrorCode.NotFound, 'the server could not find the requested resource');
}

/** Finds the kind a target names and checks its scope (NotFound as a REST path would be). */
export function resolveTarget(registry: KindRegistry, t: Target, verb: string): ResolvedTarget {
  const kind = registry.byResource(t.group, t.version, t.resource);
  if (!kind) throw resourceNotFound();
  const namespace = kind.namespaced ? t.namespace : '';
  if (kind.namespaced && namespace === '' && !['list', 'watch'].includes(verb))
    throw resourceNotFound();
  if (!kind.namespaced && t.namespace !== '' && kind.resource !== 'namespaces')
    throw resourceNotFound();
  return { kind, namespace };
}

/** Checks the kind (or its subresource) serves `verb`. */
export function checkVerb(kind: KindInfo, verb: string, subresource: string, name: string): void {
  const sub =
    subresource === '' ? undefined : kind.subresources.find((s) => s.name === subresource);
  if (subresource !== '' && !sub) {
    throw new BosunError(ErrorCode.NotFound, 'the server could not find the requested resource', {
      context: { group: kind.group, kind: kind.resource, name },
    });
  }
  if (!sub && verb === 'create' && name !== '') {
    throw new BosunError(
      ErrorCode.MethodNotAllowed,
      `the server does not allow this method on the requested resource`,
    );
  }
  if (sub && !sub.verbs.includes(verb)) throw methodNotSupported(kind, verb);
  if (!sub && !kind.verbs.includes(verb)) throw methodNotSupported(kind, verb);
}
