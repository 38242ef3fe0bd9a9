import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry';
import { ReadinessRegistry } from './readiness-registry';
import { SERVICE_INFO, type ServiceInfo } from './service-options';

/**
 * The probe endpoints Kubernetes components expose: `/livez` (the process is not wedged),
 * `/readyz` (every registered readiness check passes), `/healthz` (kept for older probes: the same
 * as `/readyz`), `/metrics` (Prometheus text) and `/status` (what this service is and how far it
 * is built).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
  ) {}

  @Get('livez')
  livez(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.info.name };
  }

  @Get('readyz')
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.readiness_(reply);
  }

  @Get('healthz')
  async healthz(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.readiness_(reply);
  }

  @Get('status')
  status(): ServiceInfo {
    return this.info;
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.metrics();
  }

  private async readiness_(reply: FastifyReply): Promise<object> {
    const report = await this.readiness.evaluate();
    reply.status(report.ready ? 200 : 503);
    return {
      status: report.ready ? 'ok' : 'not ready',
      service: this.info.name,
      phase: this.info.status.phase,
      summary: this.info.status.summary,
      checks: report.checks,
    };
  }
}
