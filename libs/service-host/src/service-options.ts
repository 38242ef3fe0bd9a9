import type { DynamicModule, Type } from '@nestjs/common';
import type { FieldSpec, Logger } from '@bosun/common';

export type ConfigSchema = Record<string, FieldSpec<unknown>>;

/** The typed config a schema yields (same mapping as `loadConfig`). */
export type ConfigOf<S extends ConfigSchema> = {
  [K in keyof S]: S[K] extends FieldSpec<infer T> ? T : never;
};

/** What every service gets on top of its own schema. */
export interface HostConfig {
  readonly httpPort: number;
  readonly httpHost: string;
}

/**
 * How far a service is built. `/status` and `/readyz` report it, so a skeleton never passes for
 * a working component.
 */
export const ServicePhase = {
  Skeleton: 'skeleton',
  Partial: 'partial',
  Functional: 'functional',
} as const;
export type ServicePhase = (typeof ServicePhase)[keyof typeof ServicePhase];

export interface ServiceStatus {
  readonly phase: ServicePhase;
  /** One honest sentence: what works and what does not. */
  readonly summary: string;
}

export interface ServiceOptions<S extends ConfigSchema = ConfigSchema> {
  /** kebab-case component name, e.g. `api-server`; also the env prefix (`API_SERVER_HTTP_PORT`). */
  readonly name: string;
  /** The service's root Nest module. */
  readonly module: Type<unknown> | DynamicModule;
  /** HTTP port for health/metrics when `<NAME>_HTTP_PORT` is unset. */
  readonly defaultPort: number;
  readonly status: ServiceStatus;
  /** The service's own config schema, validated at start-up with the host's fields. */
  readonly config?: S;
  /** Defaults to `process.env`; tests pass their own. */
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to `createLogger(name)`; tests pass one writing to a buffer. */
  readonly logger?: Logger;
}

/** Injection tokens for what the host provides to a service's providers. */
export const SERVICE_CONFIG = Symbol.for('bosun.service-host.config');
export const SERVICE_INFO = Symbol.for('bosun.service-host.info');
export const SERVICE_LOGGER = Symbol.for('bosun.service-host.logger');

export interface ServiceInfo {
  readonly name: string;
  readonly status: ServiceStatus;
  readonly startedAt: string;
}
