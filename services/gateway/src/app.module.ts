import { Module } from '@nestjs/common';

/**
 * The gateway's root module. Empty in the skeleton (no routing, no TLS, no rate limiting; it proxies nothing); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
