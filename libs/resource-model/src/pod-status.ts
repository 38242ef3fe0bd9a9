import { getPath, isObj, type Obj, objects, text } from './object-access';

function initStatus(pod: Obj): string | undefined {
  const statuses = objects(getPath(pod, 'status.initContainerStatuses'));
  const total = objects(getPath(pod, 'spec.initContainers')).length;
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i] as Obj;
    const terminated = getPath(s, 'state.terminated');
    const waiting = getPath(s, 'state.waiting');
    if (isObj(terminated) && terminated['exitCode'] === 0) continue;
    if (isObj(terminated)) {
      if (typeof terminated['reason'] === 'string' && terminated['reason'] !== '')
        return `Init:${terminated['reason']}`;
      return typeof terminated['signal'] === 'number' && terminated['signal'] !== 0
        ? `Init:Signal:${terminated['signal']}`
        : `Init:ExitCode:${text(terminated['exitCode'])}`;
    }
    if (
      isObj(waiting) &&
      typeof waiting['reason'] === 'string' &&
      waiting['reason'] !== '' &&
      waiting['reason'] !== 'PodInitializing'
    ) {
      return `Init:${waiting['reason']}`;
    }
    return `Init:${i}/${total}`;
  }
  return undefined;
}

function containerReason(pod: Obj, base: string): { reason: string; running: boolean } {
  let reason = base;
  let running = false;
  for (const s of objects(getPath(pod, 'status.containerStatuses')).reverse()) {
    const waiting = getPath(s, 'state.waiting');
    const terminated = getPath(s, 'state.terminated');
    if (isObj(waiting) && typeof waiting['reason'] === 'string' && waiting['reason'] !== '')
      reason = waiting['reason'];
    else if (
      isObj(terminated) &&
      typeof terminated['reason'] === 'string' &&
      terminated['reason'] !== ''
    )
      reason = terminated['reason'];
    else if (isObj(terminated)) {
      reason =
        typeof terminated['signal'] === 'number' && terminated['signal'] !== 0
          ? `Signal:${terminated['signal']}`
          : `ExitCode:${text(terminated['exitCode'])}`;
    } else if (s['ready'] === true && isObj(getPath(s, 'state.running'))) running = true;
  }
  return { reason, running };
}

/** The STATUS column of `kubectl get pods`: the most telling reason, not just the phase. */
export function podStatusReason(pod: Obj): string {
  const phase = text(getPath(pod, 'status.phase') ?? 'Pending');
  const statusReason = getPath(pod, 'status.reason');
  let reason = typeof statusReason === 'string' && statusReason !== '' ? statusReason : phase;
  const init = initStatus(pod);
  if (init !== undefined) reason = init;
  else {
    const c = containerReason(pod, reason);
    reason = c.reason;
    if (reason === 'Completed' && c.running) {
      const ready = objects(getPath(pod, 'status.conditions')).some(
        (x) => x['type'] === 'Ready' && x['status'] === 'True',
      );
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (getPath(pod, 'metadata.deletionTimestamp') !== undefined) {
    return statusReason === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  return reason;
}

/** `ready/total` containers and the restart count (with the last restart's age when any). */
export function podReadyAndRestarts(pod: Obj): { ready: string; restarts: number } {
  const statuses = objects(getPath(pod, 'status.containerStatuses'));
  const total = objects(getPath(pod, 'spec.containers')).length;
  const ready = statuses.filter((s) => s['ready'] === true).length;
  const restarts = statuses.reduce(
    (n, s) => n + (typeof s['restartCount'] === 'number' ? s['restartCount'] : 0),
    0,
  );
  return { ready: `${ready}/${total}`, restarts };
}
