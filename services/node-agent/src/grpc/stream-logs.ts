import { status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import type { StreamLogsRequest, StreamLogsResponse } from '@bosun/proto';
import { OutputStream } from '@bosun/proto';
import { ContainerState, type ContainerRuntime, type CriLogEntry } from '@bosun/runtime';
import { locateContainer, NodeCallError, type PodLookup } from './container-locator';
import { readAppended, readWholeLog, selectLines } from './log-follower';

export interface LogDeps {
  readonly runtime: ContainerRuntime;
  readonly podLookup?: PodLookup;
  /** How often a followed log is polled for new lines (ms). */
  readonly followPollMs: number;
}

type LogCall = ServerWritableStream<StreamLogsRequest, StreamLogsResponse>;

function toResponse(e: CriLogEntry, timestamps: boolean): StreamLogsResponse {
  const text = `${timestamps ? `${e.time} ` : ''}${e.line}${e.partial ? '' : '\n'}`;
  return {
    data: Buffer.from(text),
    stream:
      e.stream === 'stderr' ? OutputStream.OUTPUT_STREAM_STDERR : OutputStream.OUTPUT_STREAM_STDOUT,
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Streams a container's CRI log: the selected lines first, then (follow) each new line until the
 * container stops running or the caller goes away.
 */
export async function streamLogs(deps: LogDeps, call: LogCall): Promise<void> {
  const req = call.request;
  const ref = { namespace: req.namespace, pod: req.pod, container: req.container };
  const found = await locateContainer(deps.runtime, deps.podLookup, ref, req.previous);
  let gone = false;
  call.on('cancelled', () => (gone = true));
  const since = req.sinceTime
    ? new Date(req.sinceTime)
    : req.sinceSeconds !== undefined
      ? new Date(Date.now() - Number(req.sinceSeconds) * 1000)
      : undefined;
  if (since && Number.isNaN(since.getTime()))
    throw new NodeCallError(GrpcStatus.INVALID_ARGUMENT, `invalid sinceTime: ${req.sinceTime}`);
  const tailLines = req.tailLines !== undefined ? Number(req.tailLines) : undefined;
  const first = await readWholeLog(found.logPath);
  for (const e of selectLines(first.entries, { tailLines, since }))
    call.write(toResponse(e, req.timestamps));
  let offset = first.offset;
  const follow = req.follow && !req.previous;
  while (follow && !gone) {
    const running = (await deps.runtime.containerStatus(found.id).catch(() => undefined))?.state;
    const next = await readAppended(found.logPath, offset);
    offset = next.offset;
    for (const e of next.entries) call.write(toResponse(e, req.timestamps));
    // Read once more after the container stopped, so its last lines are not lost.
    if (running !== ContainerState.Running && running !== ContainerState.Created) break;
    if (next.entries.length === 0) await pause(deps.followPollMs);
  }
  if (!gone) call.end();
}
