export * from './kind-definition';
export * from './kinds';
export * from './registry';
export * from './api-errors';
export * from './status';
export * from './discovery';
export * from './aggregated-discovery';
export { defaultPullPolicy, defaultPodSpec } from './pod-defaults';
export { applyDefaults } from './workload-defaults';
