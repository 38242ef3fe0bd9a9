import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import type { WebSocket } from 'ws';
import type { ExecResponse, ExecRequest, ExecStart } from '@bosun/proto';

/** Channel bytes of Kubernetes' remote command WebSocket protocols (v4 and v5). */
export const Channel = {
  Stdin: 0,
  Stdout: 1,
  Stderr: 2,
  Error: 3,
  Resize: 4,
  /** v5: the payload's first byte names the stream the peer closed. */
  Close: 255,
} as const;

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** The metav1.Status kubectl reads on the error channel to learn the exit code. */
export function exitStatus(command: readonly string[], code: number, message = ''): object {
  if (code === 0 && message === '') return { metadata: {}, status: 'Success' };
  if (message !== '') return { metadata: {}, status: 'Failure', message, reason: 'InternalError' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export interface BridgeOptions {
  readonly start: ExecStart;
  readonly stdout: boolean;
  readonly stderr: boolean;
  /** Called once the session is over (close the node connection). */
  readonly done: () => void;
}

const frame = (channel: number, data: Uint8Array) => Buffer.concat([Buffer.from([channel]), data]);

function onClientMessage(call: ClientDuplexStream<ExecRequest, ExecResponse>, raw: Buffer): void {
  if (raw.length === 0) return;
  const payload = raw.subarray(1);
  switch (raw[0]) {
    case Channel.Stdin:
      if (payload.length > 0) call.write({ stdin: payload });
      break;
    case Channel.Resize: {
      const size = JSON.parse(payload.toString()) as { Width?: number; Height?: number };
      call.write({ resize: { width: size.Width ?? 0, height: size.Height ?? 0 } });
      break;
    }
    case Channel.Close:
      if (payload[0] === Channel.Stdin) call.write({ closeStdin: true });
      break;
  }
}

/**
 * Joins a kubectl exec WebSocket to a node agent Exec stream: stdin, resize and close frames go
 * to the node; stdout/stderr come back on their channels, and the exit as a Status on channel 3.
 */
export function bridgeExec(
  ws: WebSocket,
  call: ClientDuplexStream<ExecRequest, ExecResponse>,
  opts: BridgeOptions,
): void {
  let over = false;
  const finish = (status: object) => {
    if (over) return;
    over = true;
    if (ws.readyState === ws.OPEN) {
      ws.send(frame(Channel.Error, Buffer.from(JSON.stringify(status))));
      ws.close(1000);
    }
    opts.done();
  };
  call.write({ start: opts.start });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    try {
      onClientMessage(call, raw);
    } catch {
      // A malformed resize frame is ignored, as the kubelet does.
    }
  });
  // A protocol error (a message past maxPayload, a bad frame) closes the socket, with 1009 or
  // 1002; without a listener `ws` would throw it as an unhandled 'error' and end the process.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (!over) call.cancel();
    over = true;
    opts.done();
  });
  call.on('data', (m: ExecResponse & { output?: string }) => {
    if (m.output === 'stdout' && m.stdout && opts.stdout) ws.send(frame(Channel.Stdout, m.stdout));
    else if (m.output === 'stderr' && m.stderr && opts.stderr)
      ws.send(frame(Channel.Stderr, m.stderr));
    else if (m.output === 'exit' && m.exit)
      finish(exitStatus(opts.start.command, m.exit.exitCode, m.exit.message));
  });
  call.on('error', (e: ServiceError) =>
    finish(exitStatus(opts.start.command, 1, e.details || e.message)),
  );
  call.on('end', () =>
    finish(
      exitStatus(
        opts.start.command,
        1,
        'the node agent ended the exec session without an exit code',
      ),
    ),
  );
}
