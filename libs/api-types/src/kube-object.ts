import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** Standard object metadata (meta/v1 ObjectMeta), as `kubernetes-models` types it. */
export type ObjectMeta = IObjectMeta;

/**
 * A Kubernetes object of any kind, as the API serves it and every cache, client and controller
 * passes it around: the metadata all kinds share, the rest unknown until narrowed to a kind.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * A kind from `kubernetes-models` as Bosun's API serves it. The upstream models leave everything
 * optional because a client may send anything; a served object always has metadata, and always
 * has the fields `Always` that validation requires (a Pod's or a Deployment's spec). List items
 * and objects built in memory may leave apiVersion and kind out.
 */
export type Served<
  T extends { apiVersion: string; kind: string; metadata?: ObjectMeta },
  Always extends keyof T = never,
> = Omit<T, 'apiVersion' | 'kind' | 'metadata' | Always> &
  Required<Pick<T, Always>> & {
    apiVersion?: T['apiVersion'];
    kind?: T['kind'];
    metadata: ObjectMeta;
  };
