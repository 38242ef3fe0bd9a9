export * from './kind-definition';
export * from './kinds';
export * from './registry';
export * from './api-errors';
export * from './status';
