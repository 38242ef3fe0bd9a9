// Generated wire types, NestJS controller interfaces/decorators and client interfaces
// (libs/proto/src/generated, from proto/ by `npm run proto`), plus the loader settings they need.
// Proto types stay at the edge: map them to domain types in the gRPC adapter.
export * from './generated/bosun/v1/resource';
export * from './generated/bosun/v1/internal';
export * from './grpc-options';
