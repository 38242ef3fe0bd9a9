import { existsSync } from 'node:fs';

/** Testcontainers is only the path where a Docker engine answers; here we look for its socket. */
export function dockerAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}
