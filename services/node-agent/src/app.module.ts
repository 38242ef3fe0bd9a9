import { Module } from '@nestjs/common';

/**
 * The node-agent's root module. Empty in the skeleton (no node registration, no heartbeats, no runtime, no pods); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
