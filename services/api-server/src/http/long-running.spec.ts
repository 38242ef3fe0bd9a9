import { isLongRunning } from './long-running';
import { parseBoolParam } from './query-bool';
import { parseRequestInfo } from './request-info';

describe('long-running requests', () => {
  it('reads booleans as Go ParseBool does', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseBoolParam(t)).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      expect(parseBoolParam(f)).toBe(false);
    for (const x of ['', 'yes', 'tRUE', ' true', null]) expect(parseBoolParam(x)).toBeUndefined();
  });

  const classify = (method: string, pathAndQuery: string): boolean => {
    const url = new URL(`https://x${pathAndQuery}`);
    const watch = parseBoolParam(url.searchParams.get('watch')) === true;
    return isLongRunning(
      parseRequestInfo(method, url.pathname, watch),
      url.pathname,
      url.searchParams,
    );
  };

  it('counts watches, streaming pod subresources and the followed event log', () => {
    expect(classify('GET', '/api/v1/namespaces/default/pods?watch=True')).toBe(true);
    expect(classify('GET', '/api/v1/pods?watch=1')).toBe(true);
    expect(classify('GET', '/api/v1/namespaces/default/pods/p/log?follow=true')).toBe(true);
    expect(classify('POST', '/api/v1/namespaces/default/pods/p/exec')).toBe(true);
    expect(classify('GET', '/apis/bosun.dev/v1/events?follow=T')).toBe(true);
    expect(classify('POST', '/apis/bosun.dev/v1/nodes/n1/images')).toBe(true);
  });

  it('leaves lists, gets, writes and the unfollowed event log ordinary', () => {
    expect(classify('GET', '/api/v1/namespaces/default/pods?watch=false')).toBe(false);
    expect(classify('GET', '/api/v1/namespaces/default/pods?watch=yes')).toBe(false);
    expect(classify('GET', '/api/v1/namespaces/default/pods/p')).toBe(false);
    expect(classify('POST', '/api/v1/namespaces/default/configmaps?follow=true')).toBe(false);
    expect(classify('GET', '/apis/bosun.dev/v1/events?after=3')).toBe(false);
  });
});
