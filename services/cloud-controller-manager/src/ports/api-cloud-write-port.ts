import type { ApiClient, KubeObject as ApiObject, ResourceRef } from '@bosun/api-client';
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
      // ApiClient sends no DeleteOptions preconditions yet: check the uid by reading first.
      const current = await client.get(Resources.nodes, name);
      if (uid !== undefined && current.metadata['uid'] !== uid) {
        throw new BosunError(ErrorCode.NotFound, `node ${name} with uid ${uid} is gone`);
      }
      await client.delete(Resources.nodes, name);
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
