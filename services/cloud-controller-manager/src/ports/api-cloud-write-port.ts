import {
  isUidPreconditionFailure,
  type ApiClient,
  type KubeObject as ApiObject,
  type ResourceRef,
} from '@bosun/api-client';
import { BosunError, ErrorCode } from '@bosun/common';
import type { NodeObject, ServiceObject } from '../cloud-provider/types';
import type { CloudWritePort } from './cloud-write-port';

export const Resources = {
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
} as const satisfies Record<string, ResourceRef>;

const inNamespace = (ref: ResourceRef, namespace: string | undefined): ResourceRef => ({
  ...ref,
  namespace: namespace || undefined,
});
const asApi = (o: NodeObject | ServiceObject): ApiObject => o as unknown as ApiObject;

/** The CloudWritePort over the api-server's REST API. */
export function apiCloudWritePort(client: ApiClient): CloudWritePort {
  return {
    async updateNode(node) {
      return (await client.update(Resources.nodes, asApi(node))) as unknown as NodeObject;
    },
    async updateNodeStatus(node) {
      return (await client.update(Resources.nodes, asApi(node), 'status')) as unknown as NodeObject;
    },
    async deleteNode(name, uid) {
      try {
        await client.delete(Resources.nodes, name, {
          preconditions: uid === undefined ? undefined : { uid },
        });
      } catch (e) {
        // The name holds a newer namesake: the node meant is gone.
        if (!isUidPreconditionFailure(e)) throw e;
        throw new BosunError(ErrorCode.NotFound, `node ${name} with uid ${uid} is gone`);
      }
    },
    async updateService(service) {
      const ref = inNamespace(Resources.services, service.metadata.namespace);
      return (await client.update(ref, asApi(service))) as unknown as ServiceObject;
    },
    async updateServiceStatus(service) {
      const ref = inNamespace(Resources.services, service.metadata.namespace);
      return (await client.update(ref, asApi(service), 'status')) as unknown as ServiceObject;
    },
  };
}
