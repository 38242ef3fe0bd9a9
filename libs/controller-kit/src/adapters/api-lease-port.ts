import { ErrorCode, isBosunError } from '@bosun/common';
import type { Lease, LeasePort } from '../lease';
import type { KubeObject } from '../types';
import type { RestClient, RestResourceRef } from './rest-client';

/** Lease is a closed interface; the client wants an open Kubernetes object. */
type LeaseObject = Lease & KubeObject;

const leases = (namespace: string): RestResourceRef => ({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  namespace,
});

/**
 * coordination.k8s.io/v1 Leases on the api-server. Updates carry the lease's resourceVersion,
 * so a stale write fails with Conflict and a racing create with AlreadyExists, as the elector
 * needs.
 */
export function apiLeasePort(client: RestClient): LeasePort {
  return {
    async get(namespace, name) {
      try {
        return await client.get<LeaseObject>(leases(namespace), name);
      } catch (error) {
        if (isBosunError(error, ErrorCode.NotFound)) return undefined;
        throw error;
      }
    },
    create: (lease) =>
      client.create<LeaseObject>(leases(lease.metadata.namespace ?? ''), { ...lease }),
    update: (lease) =>
      client.update<LeaseObject>(leases(lease.metadata.namespace ?? ''), { ...lease }),
  };
}
