import { Resources } from '@bosun/api-types';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ApiClient, KubeObject } from '@bosun/api-client';
import { ErrorCode, isBosunError } from '@bosun/common';
import { connect } from '../connection';
import type { CommandContext } from './index';

export const IMAGE_USAGE = `Usage:
  bosun image load <archive> [--node NAME]... [--kubeconfig PATH]

Loads an image archive into the image store of cluster nodes, for hosts without a registry.
<archive> is a tar (or tar.gz) of an OCI image layout (skopeo copy ... oci-archive:FILE:NAME:TAG)
or of a docker save. The archive goes through the api-server to each node's agent, which verifies
every blob by digest; pods then use the image with imagePullPolicy: Never or IfNotPresent.

Options:
  --node NAME        load into this node (repeat for several); default: every node
  --kubeconfig PATH  the cluster's kubeconfig (default: $KUBECONFIG, else <BOSUN_HOME>/kubeconfig)
  -h, --help         this text
`;

const NODES = Resources.nodes;

/** Whether the file starts like a tar (ustar magic) or a gzip stream. */
async function looksLikeArchive(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The nodes to load into: the named ones (each must exist) or every node of the cluster. */
async function targetNodes(client: ApiClient, named: readonly string[]): Promise<string[]> {
  if (named.length === 0) {
    const list = await client.list<KubeObject>(NODES);
    return list.items.map((n) => String(n.metadata.name));
  }
  for (const name of named) {
    try {
      await client.get(NODES, name);
    } catch (e) {
      if (isBosunError(e, ErrorCode.NotFound)) throw new Error(`node "${name}" not found`);
      throw e;
    }
  }
  return [...new Set(named)];
}

/** `bosun image load`: 0 when every node loaded the archive, 1 on any failure, 2 on bad usage. */
export async function imageLoad({ args, env, out }: CommandContext): Promise<number> {
  const usage = (problem: string) => {
    out.error(`${problem}\n\n${IMAGE_USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        node: { type: 'string', multiple: true },
        kubeconfig: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(messageOf(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.info(IMAGE_USAGE);
    return 0;
  }
  const [sub, archive, ...extra] = positionals;
  if (sub !== 'load')
    return usage(sub ? `unknown subcommand "${sub}" for "bosun image"` : 'missing subcommand');
  if (!archive) return usage('missing <archive>');
  if (extra.length > 0) return usage(`unexpected arguments: ${extra.join(' ')}`);
  const named = values.node ?? [];
  if (named.some((n) => n.trim() === '')) return usage('--node needs a node name');

  const info = await stat(archive).catch(() => undefined);
  if (!info) {
    out.error(`archive ${archive}: no such file`);
    return 1;
  }
  if (!info.isFile() || !(await looksLikeArchive(archive).catch(() => false))) {
    out.error(
      `${archive} is not an image archive (expected a tar or tar.gz of an OCI layout or a docker save)`,
    );
    return 1;
  }
  let client: ApiClient;
  try {
    client = await connect(env, values.kubeconfig);
  } catch (e) {
    out.error(messageOf(e));
    return 1;
  }
  try {
    let nodes: string[];
    try {
      nodes = await targetNodes(client, named);
    } catch (e) {
      out.error(messageOf(e));
      return 1;
    }
    if (nodes.length === 0) {
      out.error('the cluster has no nodes to load the image into');
      return 1;
    }
    let failures = 0;
    for (const node of nodes) {
      out.progress(`loading ${archive} (${info.size} bytes) into node ${node}`);
      try {
        const result = await client.loadImage(node, createReadStream(archive));
        const loaded = result.images.map((i) => `${i.name} (${i.digest})`).join(', ');
        out.info(`node ${node}: loaded ${loaded || 'no image'}`);
      } catch (e) {
        failures++;
        out.error(`node ${node}: ${messageOf(e)}`);
      }
    }
    return failures === 0 ? 0 : 1;
  } finally {
    client.close();
  }
}
