import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ContainerRuntime, ContainerStatus } from '@bosun/runtime';
import { PodLabel } from '../pods/labels';

/** The uid of the pod this node runs under a namespace/name, if the agent knows it. */
export type PodLookup = (namespace: string, name: string) => string | undefined;

/** A gRPC-level failure with the status code the api-server maps back to HTTP. */
export class NodeCallError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
  }
}

export interface ContainerRef {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

const attempt = (c: ContainerStatus): number => Number(c.labels[PodLabel.Attempt] ?? '0');

/**
 * Every runtime instance of a pod's container, newest run first. When the agent knows the pod's
 * uid only that pod's instances count, so a recreated pod of the same name never shows the old
 * one's log.
 */
async function instances(
  runtime: ContainerRuntime,
  lookup: PodLookup | undefined,
  ref: ContainerRef,
): Promise<ContainerStatus[]> {
  const uid = lookup?.(ref.namespace, ref.pod);
  const all = await runtime.listContainers();
  return all
    .filter(
      (c) =>
        c.labels[PodLabel.Namespace] === ref.namespace &&
        c.labels[PodLabel.Name] === ref.pod &&
        c.labels[PodLabel.Container] === ref.container &&
        (uid === undefined || c.labels[PodLabel.Uid] === uid),
    )
    .sort((a, b) => attempt(b) - attempt(a) || b.createdAt.localeCompare(a.createdAt));
}

/** The current instance, or (previous) the last terminated one, as the kubelet picks them. */
export async function locateContainer(
  runtime: ContainerRuntime,
  lookup: PodLookup | undefined,
  ref: ContainerRef,
  previous = false,
): Promise<ContainerStatus> {
  const found = await instances(runtime, lookup, ref);
  const pick = previous ? found[1] : found[0];
  if (pick) return pick;
  const what = previous ? 'previous terminated container' : 'container';
  throw new NodeCallError(
    GrpcStatus.NOT_FOUND,
    `${what} "${ref.container}" in pod "${ref.pod}" not found`,
  );
}
