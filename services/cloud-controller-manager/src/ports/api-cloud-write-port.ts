import type { ApiClient, ResourceRef } from '@bosun/api-client';
import { Resources } from '@bosun/api-types';
import { BosunError, ErrorCode } from '@bosun/common';
import type { CloudWritePort } from './cloud-write-port';

/** The collections the cloud controllers write: the one table in @bosun/api-types. */
export { Resources };

const inNamespace = (ref: ResourceRef, namespace: string | undefined): ResourceRef => ({
  ...ref,
  namespace: namespace || undefined,
});

/** The CloudWritePort over the api-server's REST API. */
export function apiCloudWritePort(client: ApiClient): CloudWritePort {
  return {
    async updateNode(node) {
      return client.update(Resources.nodes, node);
    },
    async updateNodeStatus(node) {
      return client.update(Resources.nodes, node, 'status');
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
      return client.update(ref, service);
    },
    async updateServiceStatus(service) {
      const ref = inNamespace(Resources.services, service.metadata.namespace);
      return client.update(ref, service, 'status');
    },
  };
}
