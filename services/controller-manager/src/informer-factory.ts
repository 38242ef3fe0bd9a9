import type { ApiClient, ResourceRef } from '@bosun/api-client';
import {
  apiListWatchPort,
  Informer,
  type KubeObject,
  type ListWatchPort,
} from '@bosun/controller-kit';

/** Builds the list+watch port for a collection; tests hand in in-memory ports. */
export type PortFor = (ref: ResourceRef) => ListWatchPort<KubeObject>;

export const apiPorts =
  (client: ApiClient): PortFor =>
  (ref) =>
    apiListWatchPort(client, ref);

/**
 * One shared informer per collection, as client-go's SharedInformerFactory: every controller that
 * needs pods reads the same cache and the api-server serves one watch.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(private readonly portFor: PortFor) {}

  for<T extends KubeObject = KubeObject>(ref: ResourceRef): Informer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>({ name: ref.resource, port: this.portFor(ref) });
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  all(): Informer<KubeObject>[] {
    return [...this.informers.values()];
  }

  stopAll(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
