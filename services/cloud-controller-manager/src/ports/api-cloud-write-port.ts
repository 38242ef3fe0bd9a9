import { isUidPreconditionFailure, type ApiClient, type ResourceRef } from '@bosun/api-client';
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
      return client.update(ref, service);
    },
    async updateServiceStatus(service) {
      const ref = inNamespace(Resources.services, service.metadata.namespace);
      return client.update(ref, service, 'status');
    },
  };
}
