import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';

/** The shim's modules, relative to the library's source/dist root. */
const SHIM_MODULES = ['runc/shim-main', 'runc/cgroups', 'cri-log-writer'];

/**
 * The JavaScript file the shim runs. From the compiled library that is `shim-main.js` beside
 * this file. From TypeScript sources (tests, benches) the shim's three modules are compiled once
 * with SWC into `cacheDir`: a shim that loaded a TypeScript hook at every start would add
 * half a second to each container start.
 */
export async function shimEntry(cacheDir: string): Promise<string> {
  if (extname(__filename) !== '.ts') return join(__dirname, 'shim-main.js');
  const swc = await import('@swc/core');
  const srcRoot = join(__dirname, '..');
  for (const mod of SHIM_MODULES) {
    const out = await swc.transformFile(join(srcRoot, `${mod}.ts`), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      swcrc: false,
      configFile: false,
    });
    const target = join(cacheDir, `${mod}.js`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, out.code);
  }
  return join(cacheDir, 'runc', 'shim-main.js');
}
