import type { ServerDuplexStream } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ExecRequest, ExecResponse } from '@bosun/proto';
import { ContainerState, type ContainerRuntime, type ExecSession } from '@bosun/runtime';
import type { Logger } from '@bosun/common';
import { locateContainer, NodeCallError, type PodLookup } from './container-locator';

export interface ExecDeps {
  readonly runtime: ContainerRuntime;
  readonly podLookup?: PodLookup;
  readonly log: Logger;
}

type ExecCall = ServerDuplexStream<ExecRequest, ExecResponse>;

const ended = (s: NodeJS.ReadableStream) =>
  new Promise<void>((resolve) => {
    s.once('end', resolve);
    s.once('close', resolve);
    s.once('error', () => resolve());
  });

/** Opens the exec session the first (`start`) message asks for. */
async function open(deps: ExecDeps, msg: ExecRequest): Promise<ExecSession> {
  const start = msg.start;
  if (!start)
    throw new NodeCallError(GrpcStatus.INVALID_ARGUMENT, 'the first message must be start');
  if (start.command.length === 0)
    throw new NodeCallError(GrpcStatus.INVALID_ARGUMENT, 'you must specify at least one command');
  const c = await locateContainer(deps.runtime, deps.podLookup, start);
  if (c.state !== ContainerState.Running)
    throw new NodeCallError(
      GrpcStatus.FAILED_PRECONDITION,
      `container ${start.container} is not running in pod ${start.pod}`,
    );
  return deps.runtime.exec(c.id, { command: start.command, tty: start.tty, stdin: start.stdin });
}

/** Relays one exec session: stdin and close from the caller, output and the exit code back. */
export function execSession(deps: ExecDeps, call: ExecCall): void {
  let session: ExecSession | undefined;
  let opening: Promise<void> | undefined;
  const fail = (e: unknown) => {
    const code = e instanceof NodeCallError ? e.code : GrpcStatus.UNKNOWN;
    call.emit('error', { code, details: e instanceof Error ? e.message : String(e) });
  };
  const relay = async (s: ExecSession) => {
    s.stdin.on('error', (e) => deps.log.debug({ err: e }, 'exec stdin closed early'));
    s.stdout.on('data', (d: Buffer) => call.write({ stdout: d }));
    s.stderr.on('data', (d: Buffer) => call.write({ stderr: d }));
    // Listen for the ends before awaiting the exit: the streams may end first.
    const drained = Promise.all([ended(s.stdout), ended(s.stderr)]);
    const exitCode = await s.exitCode;
    await drained;
    call.write({ exit: { exitCode, message: '' } });
    call.end();
  };
  const run = async (first: ExecRequest) => {
    session = await open(deps, first);
    relay(session).catch(fail);
  };
  call.on('data', (msg: ExecRequest) => {
    if (!opening) {
      opening = run(msg).catch(fail);
      return;
    }
    void opening.then(() => {
      // proto-loader fills unset oneof members with defaults: the discriminator says which is set.
      const which = (msg as ExecRequest & { input?: string }).input;
      if (which === 'stdin' && msg.stdin) session?.stdin.write(msg.stdin);
      else if (which === 'closeStdin') session?.stdin.end();
      // Resizes are accepted but not applied: the runtime's exec port has no resize yet.
    });
  });
  call.on('end', () => void opening?.then(() => session?.stdin.end()));
  call.on('cancelled', () => session?.kill('SIGKILL'));
}
