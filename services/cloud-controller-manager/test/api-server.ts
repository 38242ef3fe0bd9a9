// Integration tests need a real api-server in this process; only test code crosses into another
// service, never src/ (which reaches the api-server over REST like any client).
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../api-server/test/test-api-server';
