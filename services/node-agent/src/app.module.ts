import { Module } from '@nestjs/common';
import { NodeAgentService } from './node-agent.service';

/**
 * The node-agent's root module: the agent runs as a provider; health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({ providers: [NodeAgentService] })
export class AppModule {}
