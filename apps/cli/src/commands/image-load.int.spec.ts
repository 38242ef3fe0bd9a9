import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '@bosun/api-client';
import { ErrorCode } from '@bosun/common';
import { buildTestImage, digestHex, missingTestTools, skopeoCopy } from '@bosun/image';
import {
  NODE_AGENT_CERT_ANNOTATION,
  nodeServingToken,
  publishNodeToken,
  PODS,
  pod,
  startHarness,
  waitForPod,
  type AgentHarness,
} from '@bosun/node-agent-service/testing';
import { freePort } from '@bosun/testing';
import { imageLoad } from './image-load';

const run = promisify(execFile);
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const missing = missingTestTools('skopeo', 'busybox');
if (missing.length > 0)
  console.warn(
    `SKIPPED image load tests: missing ${missing.join(', ')} (apt-get install skopeo busybox-static)`,
  );
const describeTools = missing.length > 0 ? describe.skip : describe;

/** What a CLI run printed, and its exit code. */
async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await imageLoad({
    args,
    env,
    out: { info: (l) => lines.push(l), error: (l) => errors.push(l), progress: () => undefined },
  });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

/** Every file of the agent's image store (blobs and records), to prove a failed load left none. */
async function storeFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of ['blobs/sha256', 'images', 'rootfs'])
    out.push(...(await readdir(join(root, 'images', d)).catch(() => [])).map((f) => `${d}/${f}`));
  return out.sort();
}

describeTools(
  'bosun image load through the api-server into a node agent (integration: Postgres, skopeo, process runtime)',
  () => {
    jest.setTimeout(120_000);
    let h: AgentHarness;
    let work: string;
    let env: NodeJS.ProcessEnv;
    let ociArchive: string;
    let dockerArchive: string;
    let layoutDir: string;

    beforeAll(async () => {
      h = await startHarness();
      work = await mkdtemp(join(tmpdir(), 'bosun-image-load-'));
      env = { KUBECONFIG: h.api.kubeconfigPath };
      await h.startAgent({
        nodeName: 'img-node',
        runtimeName: 'process',
        resyncMs: 200,
        serve: { token: nodeServingToken(), port: 0, host: '127.0.0.1' },
        facts: { internalIP: '127.0.0.1' },
      });
      layoutDir = join(work, 'layout');
      await buildTestImage(layoutDir, { tag: '1', cmd: ['sh', '-c', 'echo loaded; sleep 1000'] });
      ociArchive = join(work, 'image-oci.tar');
      dockerArchive = join(work, 'image-docker.tar');
      await skopeoCopy(`oci:${layoutDir}:1`, `oci-archive:${ociArchive}:test.local/loaded:1`);
      await skopeoCopy(`oci:${layoutDir}:1`, `docker-archive:${dockerArchive}:test.local/saved:2`);
    }, 120_000);
    afterAll(async () => {
      await h?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('loads an oci-archive into the named node; a pod with imagePullPolicy Never then runs it', async () => {
      const r = await cli(['load', ociArchive, '--node', 'img-node'], env);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(
        /^node img-node: loaded test\.local\/loaded:1 \(sha256:[0-9a-f]{64}\)$/,
      );
      await h.client.create(
        PODS,
        pod(
          'from-oci',
          {
            containers: [{ name: 'main', image: 'test.local/loaded:1', imagePullPolicy: 'Never' }],
          },
          'img-node',
        ),
      );
      const p = await waitForPod(
        h.client,
        'from-oci',
        (x) => x.status?.phase === 'Running',
        'Running',
        60_000,
      );
      expect(p.status?.containerStatuses?.[0]?.imageID).toMatch(/^test\.local\/loaded@sha256:/);
    });

    it('loads a docker-archive into every node when no --node is given', async () => {
      const r = await cli(['load', dockerArchive], env);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/^node img-node: loaded test\.local\/saved:2 \(sha256:[0-9a-f]{64}\)$/);
      await h.client.create(
        PODS,
        pod(
          'from-docker',
          {
            containers: [{ name: 'main', image: 'test.local/saved:2', imagePullPolicy: 'Never' }],
          },
          'img-node',
        ),
      );
      await waitForPod(
        h.client,
        'from-docker',
        (x) => x.status?.phase === 'Running',
        'Running',
        60_000,
      );
    });

    it('answers 400 for an archive whose layer does not match its digest and leaves the store as it was', async () => {
      const bad = join(work, 'bad-layout');
      const img = await buildTestImage(bad, { busybox: false, tag: 'v1', files: { a: 'a' } });
      await writeFile(join(bad, 'blobs', 'sha256', digestHex(img.layers[0]!.digest)), 'tampered');
      // Name the image fully (the layout alone carries only a tag).
      const indexPath = join(bad, 'index.json');
      const index = JSON.parse(await readFile(indexPath, 'utf8')) as {
        manifests: { annotations?: Record<string, string> }[];
      };
      index.manifests[0]!.annotations = { 'org.opencontainers.image.ref.name': 'test.local/bad:1' };
      await writeFile(indexPath, JSON.stringify(index));
      const tarPath = join(work, 'bad.tar');
      await run('tar', ['-cf', tarPath, '-C', bad, '.']);
      const before = await storeFiles(h.root);
      const err = await h.client
        .loadImage('img-node', createReadStream(tarPath))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCode.BadRequest });
      expect((err as Error).message).toMatch(
        /not a loadable image archive: .*does not match|digest/i,
      );
      expect(await storeFiles(h.root)).toEqual(before);
      expect(await readdir(join(h.root, 'images', 'tmp'))).toEqual([]);

      const r = await cli(['load', tarPath, '--node', 'img-node'], env);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^node img-node: not a loadable image archive/);
    });

    it('fails clearly: missing file, not an archive, unknown node, unreachable agent, bad usage', async () => {
      expect(await cli(['load', join(work, 'nope.tar')], env)).toMatchObject({
        code: 1,
        err: `archive ${join(work, 'nope.tar')}: no such file`,
      });
      const text = join(work, 'notes.txt');
      await writeFile(text, 'just some text, not a tar\n'.repeat(40));
      expect((await cli(['load', text], env)).err).toMatch(/is not an image archive/);
      expect(await cli(['load', ociArchive, '--node', 'nope'], env)).toMatchObject({
        code: 1,
        err: 'node "nope" not found',
      });

      // A Node whose agent does not answer (nothing listens on its published port).
      const real = await h.client.get<KubeObject>(NODES, 'img-node');
      const cert = (real.metadata.annotations as Record<string, string>)[
        NODE_AGENT_CERT_ANNOTATION
      ]!;
      await h.client.create(NODES, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'ghost', annotations: { [NODE_AGENT_CERT_ANNOTATION]: cert } },
      });
      await h.client.patch(
        NODES,
        'ghost',
        {
          status: {
            addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
            daemonEndpoints: { kubeletEndpoint: { Port: await freePort() } },
          },
        },
        undefined,
        'status',
      );
      const unknown = await cli(['load', ociArchive, '--node', 'ghost'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/^node ghost: node "ghost" has no node credential/);
      await publishNodeToken(h.client, 'ghost', nodeServingToken());
      const ghost = await cli(['load', ociArchive, '--node', 'ghost'], env);
      expect(ghost.code).toBe(1);
      expect(ghost.err).toMatch(/^node ghost: error dialing backend/);

      for (const args of [
        [],
        ['load'],
        ['unload', ociArchive],
        ['load', ociArchive, '--bogus'],
        ['load', 'a', 'b'],
      ]) {
        const u = await cli(args, env);
        expect(u.code).toBe(2);
        expect(u.err).toContain('Usage:\n  bosun image load <archive>');
      }
      const help = await cli(['--help'], env);
      expect(help).toMatchObject({ code: 0 });
      expect(help.out).toContain('bosun image load <archive> [--node NAME]...');
    });
  },
);
