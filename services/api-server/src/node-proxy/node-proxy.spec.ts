import type { StoredObject } from '@bosun/store';
import { parseExecQuery } from '../handlers/pod-exec';
import { parseLogQuery } from '../handlers/pod-log';
import { exitStatus } from './exec-bridge';
import { nodeAgentEndpoint, NODE_AGENT_CERT_ANNOTATION } from './node-endpoint';
import { pickContainer } from './pod-target';

const pod = (spec: Record<string, unknown>): StoredObject => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec,
});

describe('pods/log and pods/exec request rules', () => {
  it('picks the only container, or names the choices as Kubernetes does', () => {
    expect(pickContainer(pod({ containers: [{ name: 'a' }] }), null)).toBe('a');
    expect(() =>
      pickContainer(
        pod({ containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }] }),
        null,
      ),
    ).toThrow(
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    );
    expect(
      pickContainer(pod({ containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] }), 'i'),
    ).toBe('i');
    expect(() => pickContainer(pod({ containers: [{ name: 'a' }] }), 'x')).toThrow(
      'container x is not valid for pod p',
    );
  });

  it('parses log options; sinceTime is passed on in UTC', () => {
    const q = parseLogQuery(
      new URLSearchParams(
        'follow=true&tailLines=2&sinceTime=2026-01-01T01:00:00.5%2B01:00&limitBytes=9',
      ),
    );
    expect(q).toMatchObject({
      follow: true,
      tailLines: 2,
      sinceTime: '2026-01-01T00:00:00.500Z',
      limitBytes: 9,
    });
    expect(() => parseLogQuery(new URLSearchParams('tailLines=-1'))).toThrow(/tailLines/);
    expect(() =>
      parseLogQuery(new URLSearchParams('sinceSeconds=1&sinceTime=2026-01-01T00:00:00Z')),
    ).toThrow(/at most one of sinceTime or sinceSeconds/);
  });

  it('exec needs a command and at least one stream', () => {
    expect(
      parseExecQuery(new URLSearchParams('command=sh&command=-c&command=true&stdout=1')),
    ).toMatchObject({
      command: ['sh', '-c', 'true'],
      stdout: true,
      stdin: false,
    });
    expect(() => parseExecQuery(new URLSearchParams('stdout=true'))).toThrow(
      /at least one command/,
    );
    expect(() => parseExecQuery(new URLSearchParams('command=ls'))).toThrow(
      /at least 1 of stdin, stdout, stderr/,
    );
  });

  it('reports the exit code as kubectl reads it from the error channel', () => {
    expect(exitStatus(['true'], 0)).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(['sh', '-c', 'exit 3'], 3)).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it("finds a node agent's address, port and pinned certificate in the Node", () => {
    const node = (annotations: Record<string, string>): StoredObject => ({
      metadata: { name: 'n1', annotations },
      status: {
        addresses: [
          { type: 'Hostname', address: 'host-1' },
          { type: 'InternalIP', address: '10.0.0.5' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    });
    expect(nodeAgentEndpoint(node({ [NODE_AGENT_CERT_ANNOTATION]: 'PEM' }))).toEqual({
      nodeName: 'n1',
      address: '10.0.0.5',
      port: 10250,
      certPem: 'PEM',
    });
    expect(() => nodeAgentEndpoint(node({}))).toThrow(
      'node "n1" does not publish a serving certificate for its agent',
    );
  });
});
