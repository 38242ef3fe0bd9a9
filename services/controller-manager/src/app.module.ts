import { Module } from '@nestjs/common';
import { ControllerManagerService } from './controller-manager.service';

/**
 * The controller-manager's root module: the reconcile loops run in a provider while this replica
 * leads; health, readiness, metrics and `/status` come from @bosun/service-host.
 */
@Module({ providers: [ControllerManagerService] })
export class AppModule {}
