import type { Pod, Service } from '@bosun/api-types';

/** The time the endpoint controllers' tests start at; pods turned Ready then. */
export const T0 = '2026-01-01T00:00:00Z';

/** Service `ns/web` selecting `app=web`, with the given spec fields on top. */
export function webService(spec: Partial<Service['spec']> = {}): Service {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', creationTimestamp: T0 },
    spec: { selector: { app: 'web' }, ...spec },
  };
}

export interface WebPodOptions {
  readonly ready?: boolean;
  readonly terminating?: boolean;
  /** The container port named `http` (8080). */
  readonly port?: number;
}

/** A running pod labelled `app=web` on node n1, with the given IP (none: not started yet). */
export function webPod(name: string, ip: string | undefined, opts: WebPodOptions = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: { app: 'web' },
      ...(opts.terminating ? { deletionTimestamp: T0 } : {}),
    },
    spec: {
      nodeName: 'n1',
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }],
    },
    status: {
      phase: 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [
        { type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: T0 },
      ],
    },
  };
}
