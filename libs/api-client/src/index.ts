export { ApiClient, type ImageLoadResult } from './api-client';
export {
  BOSUN_API_PREFIX,
  historyPath,
  type EventLogLine,
  type EventLogType,
  type HistoryEntry,
  type ObjectHistory,
  type StreamEventsOptions,
} from './event-log';
export { GrpcApiClient, type GrpcConnection } from './grpc-api-client';
export { grpcToBosunError, STATUS_TRAILER } from './grpc-error';
export {
  loadComponentKubeconfig,
  loadKubeconfig,
  renderKubeconfig,
  writeKubeconfig,
  type Connection,
  type KubeconfigInput,
} from './kubeconfig';
export {
  PatchType,
  resourcePath,
  type DeleteOptions,
  type KubeList,
  type KubeObject,
  type ListQuery,
  type ResourceRef,
  type WatchEvent,
} from './resource-ref';
export { isUidPreconditionFailure, statusToError, type StatusBody } from './status-error';
