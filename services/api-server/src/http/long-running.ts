import { isNodeImagesRequest } from '../node-proxy/node-image-load';
import { queryFlag } from './query-bool';
import type { RequestInfo } from './request-info';

/** Subresources that stream for as long as the client wants (kube-apiserver's long-running set). */
const STREAMING_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

/**
 * Whether a request may run for as long as its client keeps it open: watches, the streaming pod
 * subresources, the followed event log and image uploads to a node, after kube-apiserver's BasicLongRunningRequestCheck
 * decides. Those skip the in-flight limit and the request timeout and count against the
 * long-running limit instead.
 */
export function isLongRunning(info: RequestInfo, path: string, query: URLSearchParams): boolean {
  if (info.verb === 'watch') return true;
  if (info.isResource && STREAMING_SUBRESOURCES.has(info.subresource)) return true;
  // An image archive streamed to a node agent may take minutes: not a request to cut at 60 s.
  if (isNodeImagesRequest(info)) return true;
  return path === '/apis/bosun.dev/v1/events' && queryFlag(query, 'follow');
}
