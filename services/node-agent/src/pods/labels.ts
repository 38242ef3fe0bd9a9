/** Labels the agent puts on runtime sandboxes and containers, to find them again after a restart. */
export const PodLabel = {
  Uid: 'bosun.dev/pod-uid',
  Name: 'bosun.dev/pod-name',
  Namespace: 'bosun.dev/pod-namespace',
  Container: 'bosun.dev/container-name',
  /** 0 for the first run of a container, then one more per restart: the restartCount. */
  Attempt: 'bosun.dev/attempt',
  Init: 'bosun.dev/init-container',
} as const;
