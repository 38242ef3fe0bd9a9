import { Module } from '@nestjs/common';
import { SchedulerService } from './scheduler.service';

/**
 * The scheduler's root module: the scheduler runs as a provider; health, readiness, metrics and
 * `/status` come from @bosun/service-host.
 */
@Module({ providers: [SchedulerService] })
export class AppModule {}
