import { ApiClient, loadKubeconfig, type Connection } from '@bosun/api-client';
import { join } from 'node:path';
import { bosunHome } from './paths';

/**
 * The kubeconfig a client command uses, like kubectl: `--kubeconfig`, else `$KUBECONFIG` (its first
 * path), else the one `bosun up` wrote to `<BOSUN_HOME>/kubeconfig`.
 */
export function kubeconfigPath(env: NodeJS.ProcessEnv, flag?: string): string {
  if (flag) return flag;
  const fromEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  return fromEnv ?? join(bosunHome(env), 'kubeconfig');
}

/** An API client for the cluster a client command talks to. */
export async function connect(env: NodeJS.ProcessEnv, flag?: string): Promise<ApiClient> {
  return new ApiClient(await loadConnection(env, flag));
}

/** Where and how to reach that cluster (server URL, CA, token), from the same kubeconfig. */
export async function loadConnection(env: NodeJS.ProcessEnv, flag?: string): Promise<Connection> {
  const path = kubeconfigPath(env, flag);
  try {
    return await loadKubeconfig(path);
  } catch (e) {
    throw new Error(
      `cannot use kubeconfig ${path}: ${e instanceof Error ? e.message : String(e)}` +
        ' (is the cluster up? `npm start` writes it; --kubeconfig or KUBECONFIG choose another)',
    );
  }
}
