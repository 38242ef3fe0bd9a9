import { Module } from '@nestjs/common';
import { KubeApiService } from './kube-api.service';

/**
 * The api-server's root module: the Kubernetes REST API runs as a provider with its own HTTPS
 * listener; health, readiness, metrics and `/status` come from @bosun/service-host.
 */
@Module({ providers: [KubeApiService] })
export class AppModule {}
