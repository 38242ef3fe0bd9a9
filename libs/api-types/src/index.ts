export { type KubeObject, type ObjectMeta, type Served } from './kube-object';
export type * from './meta-v1';
export type * from './core-v1';
export type * from './apps-v1';
export type * from './batch-v1';
export type * from './coordination-v1';
export type * from './discovery-v1';
export { Resources, type GroupVersionResource } from './group-version-resources';
export { parseQuantity, Quantity } from './quantity';
