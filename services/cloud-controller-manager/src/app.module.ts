import { Module } from '@nestjs/common';
import { CloudControllerManagerService } from './cloud-controller-manager.service';

/**
 * The cloud-controller-manager's root module: the cloud controllers run in a provider while this
 * replica leads; health, readiness, metrics and `/status` come from @bosun/service-host.
 */
@Module({ providers: [CloudControllerManagerService] })
export class AppModule {}
