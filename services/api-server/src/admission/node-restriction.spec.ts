import { BosunError, ErrorCode } from '@bosun/common';
import { defaultRegistry } from '@bosun/resource-model';
import type { StoredObject } from '@bosun/store';
import { ADMIN_USER, authenticatedUser } from '../auth/user';
import { Operation, type AdmissionRequest } from './admission';
import { nodeRestriction } from './node-restriction';
import { nodeTokenRestriction } from './node-token-restriction';

const registry = defaultRegistry;
const kind = (group: string, resource: string) => registry.byResource(group, 'v1', resource)!;
const node = authenticatedUser('system:node:n1', '', ['system:nodes']);
const bootstrapper = authenticatedUser('system:bootstrap:abcdef', '', ['system:bootstrappers']);
function obj(name: string, extra: Record<string, unknown> = {}, namespace?: string): StoredObject {
  const { metadata, ...rest } = extra;
  return { metadata: { name, namespace, ...(metadata as object) }, ...rest };
}

/** The error code admission answers, or 'OK'. */
async function outcome(
  plugin: { validate?(r: AdmissionRequest): void | Promise<void> },
  req: Partial<AdmissionRequest> & Pick<AdmissionRequest, 'kind' | 'object' | 'operation'>,
): Promise<string> {
  try {
    await plugin.validate?.({ subresource: '', user: node, ...req });
    return 'OK';
  } catch (e) {
    if (e instanceof BosunError) return e.code;
    throw e;
  }
}

describe('NodeRestriction', () => {
  const nodes = kind('', 'nodes');
  const pods = kind('', 'pods');
  const leases = registry.byResource('coordination.k8s.io', 'v1', 'leases')!;
  const pod = (nodeName?: string) => obj('p', { spec: { nodeName } }, 'default');

  it('lets a node write its own Node, not another, nor the restricted labels', async () => {
    const own = obj('n1');
    expect(
      await outcome(nodeRestriction, { kind: nodes, operation: Operation.Create, object: own }),
    ).toBe('OK');
    expect(
      await outcome(nodeRestriction, {
        kind: nodes,
        operation: Operation.Create,
        object: obj('n2'),
      }),
    ).toBe(ErrorCode.Forbidden);
    const labelled = obj('n1', {
      metadata: { labels: { 'node-restriction.kubernetes.io/zone': 'a' } },
    });
    expect(
      await outcome(nodeRestriction, {
        kind: nodes,
        operation: Operation.Create,
        object: labelled,
      }),
    ).toBe(ErrorCode.Forbidden);
    expect(
      await outcome(nodeRestriction, {
        kind: nodes,
        operation: Operation.Update,
        object: labelled,
        oldObject: labelled,
      }),
    ).toBe('OK');
    expect(
      await outcome(nodeRestriction, {
        kind: nodes,
        operation: Operation.Update,
        object: own,
        oldObject: labelled,
      }),
    ).toBe(ErrorCode.Forbidden);
  });

  it('lets a node change and delete only pods bound to it, and create none', async () => {
    for (const operation of [Operation.Update, Operation.Delete]) {
      expect(
        await outcome(nodeRestriction, {
          kind: pods,
          operation,
          object: pod('n1'),
          oldObject: pod('n1'),
        }),
      ).toBe('OK');
      expect(
        await outcome(nodeRestriction, {
          kind: pods,
          operation,
          object: pod('n1'),
          oldObject: pod('n2'),
        }),
      ).toBe(ErrorCode.Forbidden);
      expect(
        await outcome(nodeRestriction, { kind: pods, operation, object: pod(), oldObject: pod() }),
      ).toBe(ErrorCode.Forbidden);
    }
    expect(
      await outcome(nodeRestriction, {
        kind: pods,
        operation: Operation.Create,
        object: pod('n1'),
      }),
    ).toBe(ErrorCode.Forbidden);
  });

  it('lets a node write only its own Lease in kube-node-lease', async () => {
    const lease = (name: string, ns: string) => obj(name, {}, ns);
    expect(
      await outcome(nodeRestriction, {
        kind: leases,
        operation: Operation.Create,
        object: lease('n1', 'kube-node-lease'),
      }),
    ).toBe('OK');
    expect(
      await outcome(nodeRestriction, {
        kind: leases,
        operation: Operation.Create,
        object: lease('n2', 'kube-node-lease'),
      }),
    ).toBe(ErrorCode.Forbidden);
    expect(
      await outcome(nodeRestriction, {
        kind: leases,
        operation: Operation.Create,
        object: lease('n1', 'kube-system'),
      }),
    ).toBe(ErrorCode.Forbidden);
  });

  it('leaves administrators and other kinds alone', async () => {
    expect(
      await outcome(nodeRestriction, {
        kind: nodes,
        operation: Operation.Create,
        object: obj('n2'),
        user: ADMIN_USER,
      }),
    ).toBe('OK');
    expect(
      await outcome(nodeRestriction, {
        kind: kind('', 'configmaps'),
        operation: Operation.Create,
        object: obj('c', {}, 'default'),
      }),
    ).toBe('OK');
  });
});

describe('NodeTokenRestriction', () => {
  const secrets = kind('', 'secrets');
  const existing = new Set(['old-node']);
  const plugin = nodeTokenRestriction({
    get: (_type, _ns, name) =>
      existing.has(name)
        ? Promise.resolve(obj(name))
        : Promise.reject(new BosunError(ErrorCode.NotFound, `nodes "${name}" not found`)),
  });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const token = (nodeName: string, name = `node-token-${nodeName}`) =>
    obj(
      name,
      {
        type: 'bosun.dev/node-token',
        data: { 'node-name': b64(nodeName), token: b64('t'.repeat(43)) },
      },
      'kube-system',
    );
  const as = { user: bootstrapper, kind: secrets };

  it('lets a bootstrap token create the token of a new node only', async () => {
    expect(
      await outcome(plugin, { ...as, operation: Operation.Create, object: token('new-node') }),
    ).toBe('OK');
    expect(
      await outcome(plugin, { ...as, operation: Operation.Create, object: token('old-node') }),
    ).toBe(ErrorCode.Forbidden);
    expect(
      await outcome(plugin, { ...as, operation: Operation.Update, object: token('new-node') }),
    ).toBe(ErrorCode.Forbidden);
  });

  it('refuses any other Secret from a bootstrap token', async () => {
    expect(
      await outcome(plugin, {
        ...as,
        operation: Operation.Create,
        object: token('a', 'bootstrap-token-x'),
      }),
    ).toBe(ErrorCode.Forbidden);
    const mismatch = token('a', 'node-token-b');
    expect(await outcome(plugin, { ...as, operation: Operation.Create, object: mismatch })).toBe(
      ErrorCode.Forbidden,
    );
  });
});
