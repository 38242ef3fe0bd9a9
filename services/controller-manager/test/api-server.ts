// Integration tests need a real api-server in this process: the api-server's testing entry point.
// Only test code uses it; src/ reaches the api-server over REST like any client.
export * from '@bosun/api-server-service/testing';
