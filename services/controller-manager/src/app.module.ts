import { Module } from '@nestjs/common';

/**
 * The controller-manager's root module. Empty in the skeleton (no controllers run); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
