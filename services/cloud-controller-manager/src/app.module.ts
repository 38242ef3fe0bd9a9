import { Module } from '@nestjs/common';

/**
 * The cloud-controller-manager's root module. Empty in the skeleton (no provider interface, no `local` provider, no service/node reconciliation); health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({})
export class AppModule {}
