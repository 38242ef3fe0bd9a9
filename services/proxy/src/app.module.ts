import { Module } from '@nestjs/common';

/**
 * The proxy's root module. Empty in the skeleton (no service VIPs, no DNS, no policy enforcement); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
