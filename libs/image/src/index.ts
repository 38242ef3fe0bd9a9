export * from './image-error';
export * from './reference';
export * from './digest';
export * from './manifest';
export * from './registry-auth';
export * from './registry-client';
export * from './insecure-registries';
export * from './blob-store';
export * from './image-record';
export * from './image-store';
export * from './layer-apply';
export * from './pull-policy';
export * from './image-puller';
export * from './archive-loader';
// Helpers for other projects' tests (node agent, e2e): a tiny busybox image and a real registry.
export * from './testing';
