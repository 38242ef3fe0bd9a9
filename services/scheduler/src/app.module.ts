import { Module } from '@nestjs/common';

/**
 * The scheduler's root module. Empty in the skeleton (no informer, no placement, no binding, no leader election); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
