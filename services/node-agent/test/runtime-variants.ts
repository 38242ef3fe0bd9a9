import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ProcessRuntime, type ContainerImage, type ContainerRuntime } from '@bosun/runtime';
import { createAgentRuncFixture, runcUnavailable, TEST_IMAGE } from './runc-fixture';

/** A runtime to run a suite on, the image its containers use, and how to tear both down. */
export interface RuntimeEnv {
  readonly runtime: ContainerRuntime;
  readonly image: ContainerImage;
  cleanup(): Promise<void>;
}

export interface RuntimeVariant {
  readonly name: string;
  /** Why the variant cannot run on this machine, or undefined when it can. */
  readonly unavailable: string | undefined;
  make(): Promise<RuntimeEnv>;
}

/**
 * The runtimes a suite about containers runs on: host processes everywhere, and runc with the
 * busybox test image where root and runc are present.
 */
export const RUNTIME_VARIANTS: readonly RuntimeVariant[] = [
  {
    name: 'process runtime',
    unavailable: undefined,
    make: async () => {
      const root = await mkdtemp(join(tmpdir(), 'bosun-runtime-variant-'));
      const runtime = new ProcessRuntime({ root, logger: pino({ level: 'silent' }) });
      return {
        runtime,
        image: { ref: 'busybox', rootfs: '/' },
        cleanup: async () => {
          await runtime.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'runc runtime, busybox test image',
    unavailable: runcUnavailable(),
    make: async () => {
      const fixture = await createAgentRuncFixture();
      const provided = await fixture.images.ensure(TEST_IMAGE, 'Never');
      return { runtime: fixture.runtime, image: provided.image, cleanup: () => fixture.cleanup() };
    },
  },
];
