export * from './component';
export * from './service-options';
export { envPrefix } from './host-config';
export * from './readiness-registry';
export { METRICS_REGISTRY } from './metrics-registry';
export * from './create-service';
export * from './bootstrap-service';
export { ServiceHostModule } from './service-host.module';
