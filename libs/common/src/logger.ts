import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs for every process. Child loggers carry kind/namespace/name/revision so a
 * line can be joined to the object and the log entry it concerns.
 */
export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component, pid: process.pid } });
}
