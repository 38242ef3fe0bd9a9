import type { NodeObject, ServiceObject } from '../cloud-provider/types';

/**
 * Everything the cloud controllers change in the cluster. Objects passed in are copies, never
 * cached ones; updates carry metadata.resourceVersion as a precondition (409 on a stale one).
 */
export interface CloudWritePort {
  updateNode(node: NodeObject): Promise<NodeObject>;
  updateNodeStatus(node: NodeObject): Promise<NodeObject>;
  /** Deletes this incarnation of the node only (uid precondition). */
  deleteNode(name: string, uid: string | undefined): Promise<void>;
  updateService(service: ServiceObject): Promise<ServiceObject>;
  updateServiceStatus(service: ServiceObject): Promise<ServiceObject>;
}

/** core/v1 Events about an object; best effort, never fails the caller (the kit's recorder). */
export type { EventRecorder, EventType } from '@bosun/controller-kit';
