import type { ContainerConfig } from './types';
import { invalid } from './runtime-errors';

export interface ResolvedProcess {
  readonly args: string[];
  /** `KEY=value` entries: image env first, container env overrides. */
  readonly env: string[];
  readonly cwd: string;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Kubernetes' rules: `command` replaces the image Entrypoint (and then the image Cmd is ignored),
 * `args` replaces the image Cmd.
 */
export function resolveProcess(config: ContainerConfig): ResolvedProcess {
  const image = config.image;
  const entrypoint = config.command ?? image.entrypoint ?? [];
  const cmd = config.args ?? (config.command ? [] : (image.cmd ?? []));
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) {
    throw invalid(
      `container ${config.name} has no command: the image has neither Entrypoint nor Cmd`,
      {
        container: config.name,
      },
    );
  }
  return {
    args,
    env: mergeEnv(image.env ?? [], config.env ?? {}),
    cwd: config.workingDir ?? image.workingDir ?? '/',
  };
}

function mergeEnv(imageEnv: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const merged = new Map<string, string>();
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=');
    if (eq > 0) merged.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const [k, v] of Object.entries(env)) merged.set(k, v);
  if (!merged.has('PATH')) merged.set('PATH', DEFAULT_PATH.slice(5));
  return [...merged].map(([k, v]) => `${k}=${v}`);
}
