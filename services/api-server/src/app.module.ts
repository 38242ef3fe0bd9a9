import { Module } from '@nestjs/common';

/**
 * The api-server's root module. Empty in the skeleton: the REST and gRPC APIs, authn/authz,
 * admission and the store wiring are still to be built (see README.md). Health, readiness,
 * metrics and `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
