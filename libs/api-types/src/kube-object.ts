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
 * A kind from `kubernetes-models` as Bosun's API serves it: every stored object has metadata
 * (the upstream models leave it optional because a client may build an object without it), and
 * list items and objects built in memory may leave apiVersion and kind out.
 */
export type Served<T extends { apiVersion: string; kind: string; metadata?: ObjectMeta }> = Omit<
  T,
  'apiVersion' | 'kind' | 'metadata'
> & {
  apiVersion?: T['apiVersion'];
  kind?: T['kind'];
  metadata: ObjectMeta;
};
