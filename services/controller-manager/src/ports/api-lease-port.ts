import type { ApiClient, KubeObject as ApiObject } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import type { Lease, LeasePort } from '@bosun/controller-kit';
import { inNamespace, Resources } from './resources';

/** Leases through the REST API; the api-server's resourceVersion check gives the Conflict. */
export function apiLeasePort(client: ApiClient): LeasePort {
  const ref = (ns: string) => inNamespace(Resources.leases, ns);
  return {
    async get(namespace, name) {
      try {
        return (await client.get<ApiObject>(ref(namespace), name)) as unknown as Lease;
      } catch (e) {
        if (isBosunError(e, ErrorCode.NotFound)) return undefined;
        throw e;
      }
    },
    async create(lease) {
      const obj = lease as unknown as ApiObject;
      return (await client.create(ref(lease.metadata.namespace), obj)) as unknown as Lease;
    },
    async update(lease) {
      const obj = lease as unknown as ApiObject;
      return (await client.update(ref(lease.metadata.namespace), obj)) as unknown as Lease;
    },
  };
}
