import { BosunError, ErrorCode, loadConfig, parsers, type FieldSpec } from '@bosun/common';
import type { ConfigOf, ConfigSchema, HostConfig } from './service-options';

/** `api-server` -> `API_SERVER`: the prefix of every env var the host reads for a service. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

const port = (raw: string): number => {
  const n = parsers.int(raw);
  if (n < 0 || n > 65535) throw new Error('a port number 0-65535');
  return n;
};

function hostSchema(
  name: string,
  defaultPort: number,
): Record<keyof HostConfig, FieldSpec<unknown>> {
  const prefix = envPrefix(name);
  return {
    httpPort: {
      env: `${prefix}_HTTP_PORT`,
      default: defaultPort,
      parse: port,
      describe: `TCP port of the ${name} health/metrics HTTP server (0 picks a free one)`,
    },
    httpHost: {
      env: `${prefix}_HTTP_HOST`,
      default: '0.0.0.0',
      parse: parsers.string,
      describe: `address the ${name} HTTP server binds to`,
    },
  };
}

/**
 * Validates the host's fields and the service's own schema in one pass; a wrong value throws a
 * `BosunError(Invalid)` naming the variable, which stops start-up.
 */
export function loadServiceConfig<S extends ConfigSchema>(
  name: string,
  defaultPort: number,
  schema: S | undefined,
  env: NodeJS.ProcessEnv,
): HostConfig & ConfigOf<S> {
  const host = hostSchema(name, defaultPort);
  const clash = Object.keys(schema ?? {}).filter((k) => k in host);
  if (clash.length > 0) {
    throw new BosunError(
      ErrorCode.Invalid,
      `config keys ${clash.join(', ')} are reserved by service-host`,
    );
  }
  return loadConfig({ ...host, ...schema }, env) as HostConfig & ConfigOf<S>;
}
