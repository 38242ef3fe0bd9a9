import { ApiClient, loadKubeconfig, PatchType, type ResourceRef } from '@bosun/api-client';
import { createLogger } from '@bosun/common';
import {
  apiListWatchPort,
  InformerFactory,
  type Clock,
  type Controller,
} from '@bosun/controller-kit';
import { defaultRegistry } from '@bosun/resource-model';
import { Registry } from 'prom-client';
import { startTestApiServer, type TestApiServer } from './api-server';
import { apiReadPort } from '../src/ports/read-port';
import { apiWritePort } from '../src/ports/api-write-port';
import type { ControllerContext, ControllerFactory } from '../src/controllers/controller-context';

/** A real api-server (own Postgres schema), a REST client, and a context for one controller. */
export interface ApiHarness {
  readonly api: TestApiServer;
  readonly client: ApiClient;
  readonly ctx: ControllerContext;
  /** Builds the controller from the context and runs it with its workers. */
  start(factory: ControllerFactory): Promise<Controller>;
  /** Polls until `probe` gives a value (a wait for a condition, never a timing assertion). */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  /** Sets a pod's status through the status subresource, as a node agent would. */
  setPodStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export const ref = (r: Omit<ResourceRef, 'namespace'>, namespace?: string): ResourceRef => ({
  ...r,
  namespace,
});

export async function startApiHarness(clock?: Clock): Promise<ApiHarness> {
  const api = await startTestApiServer();
  const client = new ApiClient(await loadKubeconfig(api.kubeconfigPath));
  const informers = new InformerFactory((r, selectors) => apiListWatchPort(client, r, selectors));
  const ctx: ControllerContext = {
    informers,
    writer: apiWritePort(client),
    reader: apiReadPort(client),
    kinds: defaultRegistry,
    logger: createLogger('test', 'silent'),
    registry: new Registry(),
    clock,
    workers: 2,
  };
  const controllers: Controller[] = [];
  return {
    api,
    client,
    ctx,
    async start(factory) {
      const controller = factory(ctx);
      controllers.push(controller);
      await controller.start();
      return controller;
    },
    async waitFor(what, probe) {
      for (let i = 0; i < 600; i++) {
        const value = await probe();
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    async setPodStatus(namespace, name, status) {
      const pods = ref({ group: '', version: 'v1', resource: 'pods' }, namespace);
      // A merge patch without a resourceVersion: a controller writing the pod meanwhile does not
      // make it fail.
      await client.patch(pods, name, { status }, PatchType.Merge, 'status');
    },
    async stop() {
      for (const c of controllers) await c.stop();
      informers.stopAll();
      client.close();
      await api.stop();
    },
  };
}
