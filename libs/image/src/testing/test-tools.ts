import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Binaries the image integration tests need (Debian: docker-registry, skopeo, busybox-static). */
export const TEST_TOOLS = {
  registry: ['/usr/bin/docker-registry'],
  skopeo: ['/usr/bin/skopeo', '/usr/local/bin/skopeo'],
  busybox: ['/bin/busybox', '/usr/bin/busybox'],
  openssl: ['/usr/bin/openssl'],
} as const;
export type TestTool = keyof typeof TEST_TOOLS;

export function testToolPath(tool: TestTool): string | undefined {
  return TEST_TOOLS[tool].find((p) => existsSync(p));
}

/** The tools among `tools` that this machine lacks; a test skips LOUDLY naming them. */
export function missingTestTools(...tools: TestTool[]): TestTool[] {
  return tools.filter((t) => testToolPath(t) === undefined);
}

/**
 * Runs `skopeo copy` between transports (`oci:<dir>:<tag>`, `docker://127.0.0.1:<port>/x:tag`,
 * `docker-archive:<file>:<name:tag>`), with no signature policy and no TLS to loopback registries.
 */
export async function skopeoCopy(
  src: string,
  dest: string,
  extraArgs: readonly string[] = [],
): Promise<void> {
  const bin = testToolPath('skopeo');
  if (!bin) throw new Error('skopeo is not installed (Debian package: skopeo)');
  const tls = [
    ...(src.startsWith('docker://') ? ['--src-tls-verify=false'] : []),
    ...(dest.startsWith('docker://') ? ['--dest-tls-verify=false'] : []),
  ];
  await run(bin, ['copy', '--insecure-policy', ...tls, ...extraArgs, src, dest], {
    timeout: 120_000,
    env: { ...process.env, TMPDIR: process.env.TMPDIR ?? '/tmp' },
  });
}
