import { connect, type Socket } from 'node:net';
import { BosunError, ErrorCode } from '@bosun/common';

/**
 * A TCP connection to `host:port` (a pod IP the node can route to, or loopback for host-network
 * pods and the process runtime), resolved once connected: what `kubectl port-forward` needs.
 */
export function connectTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      socket.destroy();
      reject(
        new BosunError(ErrorCode.Unavailable, `cannot connect to ${host}:${port}: ${e.message}`, {
          cause: e,
          context: { host, port },
          retryable: true,
        }),
      );
    });
  });
}
