import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestImage, skopeoCopy, startTestRegistry, type TestRegistry } from '@bosun/image';

/** The port the web container serves its page on (its readiness probe asks it). */
export const WEB_PORT = 8080;

/** The page a version serves: `kubectl exec … wget` and the probes see it. */
export const webPage = (version: string): string => `bosun e2e web ${version}\n`;

/** The line a version logs when it starts (what `kubectl logs` must show). */
export const webStartLine = (version: string): string => `web ${version} listening on ${WEB_PORT}`;

export interface WebImages {
  readonly registry: TestRegistry;
  /** `<registry>/e2e/web:<version>` per version. */
  readonly refs: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Builds the suite's image — busybox-static running `httpd` with a page naming its version — in
 * each version, and pushes them with skopeo to a real registry listening on `listen` (the node
 * bridge's host address, the one address of this host every node namespace reaches).
 */
export async function startWebImages(
  listen: string,
  versions: readonly string[],
): Promise<WebImages> {
  const registry = await startTestRegistry({ listen });
  const dir = await mkdtemp(join(tmpdir(), 'bosun-e2e-image-'));
  try {
    const refs: Record<string, string> = {};
    for (const version of versions) {
      const layout = join(dir, version);
      await buildTestImage(layout, {
        tag: version,
        files: {
          'www/index.html': webPage(version),
          'etc/passwd': 'root:x:0:0:root:/:/bin/sh\n',
        },
        layers: [
          {
            symlinks: {
              'bin/httpd': 'busybox',
              'bin/hostname': 'busybox',
              'bin/wc': 'busybox',
              'bin/tr': 'busybox',
            },
          },
        ],
        cmd: [
          '/bin/sh',
          '-c',
          `echo "${webStartLine(version)}"; exec httpd -f -vv -p ${WEB_PORT} -h /www`,
        ],
      });
      refs[version] = `${registry.host}/e2e/web:${version}`;
      await skopeoCopy(`oci:${layout}:${version}`, `docker://${refs[version]}`);
    }
    return { registry, refs, stop: () => registry.stop() };
  } catch (e) {
    await registry.stop();
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
