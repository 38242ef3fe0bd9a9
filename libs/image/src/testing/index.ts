export * from './build-test-image';
export * from './test-registry';
export * from './test-tools';
export * from './fake-registry';
export * from './test-token-server';
