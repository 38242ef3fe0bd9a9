import { connect } from 'node:net';
import { execCollect, type ContainerRuntime } from '@bosun/runtime';
import type { Container, Handler, HttpGetAction } from './pod-types';

export interface ProbeTarget {
  readonly runtime: ContainerRuntime;
  readonly containerId: string;
  readonly container: Container;
  /** Where httpGet / tcpSocket connect when the probe names no host. */
  readonly podIP: string;
}

export interface ProbeOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** Runs one handler (probe or preStop hook): exec in the container, httpGet, or tcpSocket. */
export async function runHandler(
  handler: Handler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  try {
    if (handler.exec) {
      const r = await execCollect(target.runtime, target.containerId, handler.exec.command ?? [], {
        timeoutMs,
      });
      const output = (r.stdout + r.stderr).trim().slice(0, 1024);
      return r.exitCode === 0
        ? { ok: true, message: output }
        : { ok: false, message: `command exited with ${r.exitCode}: ${output}` };
    }
    if (handler.httpGet) return await httpGet(handler.httpGet, target, timeoutMs);
    if (handler.tcpSocket) {
      const port = resolvePort(handler.tcpSocket.port, target.container);
      await tcpConnect(handler.tcpSocket.host || target.podIP, port, timeoutMs);
      return { ok: true, message: '' };
    }
    return { ok: false, message: 'handler has no exec, httpGet or tcpSocket' };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`no container port named ${port}`);
  return named.containerPort;
}

async function httpGet(
  action: HttpGetAction,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const port = resolvePort(action.port, target.container);
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const host = action.host || target.podIP;
  const path = action.path ?? '/';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  const res = await fetch(
    `${scheme}://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    },
  );
  await res.body?.cancel();
  // Kubernetes: 200 <= code < 400 succeeds.
  return res.status >= 200 && res.status < 400
    ? { ok: true, message: '' }
    : { ok: false, message: `HTTP probe failed with statuscode: ${res.status}` };
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
