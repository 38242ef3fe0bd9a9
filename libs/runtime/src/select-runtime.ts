import { accessSync, constants } from 'node:fs';
import type { Logger } from '@bosun/common';
import { FakeRuntime, type FakeRuntimeOptions } from './fake/fake-runtime';
import { ProcessRuntime } from './process/process-runtime';
import { DEFAULT_CONMON, RuncRuntime } from './runc/runc-runtime';
import type { ContainerRuntime, RuntimeName } from './types';
import { invalid } from './runtime-errors';

export interface SelectRuntimeOptions {
  /** Force one runtime; without it: runc when root with runc installed, else process. */
  readonly runtime?: RuntimeName;
  readonly root: string;
  readonly logger: Logger;
  readonly podCidr?: string;
  readonly bridge?: string;
  readonly cgroupParent?: string;
  readonly runcBinary?: string;
  readonly conmonBinary?: string;
  readonly fake?: FakeRuntimeOptions;
}

export interface RuntimeChoice {
  readonly name: RuntimeName;
  readonly reason: string;
}

const DEFAULT_RUNC = '/usr/sbin/runc';

/** Decides which runtime fits this host, and says why (fake only when asked for). */
export function chooseRuntime(
  options: Pick<SelectRuntimeOptions, 'runtime' | 'runcBinary' | 'conmonBinary'>,
  host = { uid: process.getuid?.() ?? -1, platform: process.platform as string },
): RuntimeChoice {
  if (options.runtime)
    return { name: options.runtime, reason: `runtime ${options.runtime} was requested` };
  const runc = options.runcBinary ?? DEFAULT_RUNC;
  if (host.platform !== 'linux')
    return { name: 'process', reason: `not Linux (${host.platform}): no runc` };
  if (host.uid !== 0)
    return { name: 'process', reason: `not root (uid ${host.uid}): runc needs root` };
  if (!isExecutable(runc))
    return { name: 'process', reason: `${runc} is not installed (apt-get install runc)` };
  const conmon = options.conmonBinary ?? DEFAULT_CONMON;
  if (!isExecutable(conmon))
    return { name: 'process', reason: `${conmon} is not installed (apt-get install conmon)` };
  return { name: 'runc', reason: `root with ${runc}` };
}

export async function selectRuntime(
  options: SelectRuntimeOptions,
): Promise<{ runtime: ContainerRuntime; choice: RuntimeChoice }> {
  const choice = chooseRuntime(options);
  options.logger.info(
    { runtime: choice.name, reason: choice.reason },
    'container runtime selected',
  );
  switch (choice.name) {
    case 'fake':
      return { runtime: new FakeRuntime(options.fake), choice };
    case 'process':
      return {
        runtime: new ProcessRuntime({ root: options.root, logger: options.logger }),
        choice,
      };
    case 'runc': {
      if (!options.podCidr) throw invalid('the runc runtime needs the node pod CIDR (podCidr)');
      const runtime = await RuncRuntime.open({
        root: options.root,
        logger: options.logger,
        podCidr: options.podCidr,
        bridge: options.bridge,
        cgroupParent: options.cgroupParent,
        runcBinary: options.runcBinary,
        conmonBinary: options.conmonBinary,
      });
      return { runtime, choice };
    }
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
