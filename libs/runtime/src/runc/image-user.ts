import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../runtime-errors';

/**
 * The image's `User` (`uid`, `uid:gid`, `name`, `name:group`) as numeric ids; names are looked up
 * in the image's /etc/passwd and /etc/group. Empty means root.
 */
export async function resolveUser(
  rootfs: string,
  user?: string,
): Promise<{ uid: number; gid: number }> {
  if (!user) return { uid: 0, gid: 0 };
  const [u, g] = user.split(':');
  const passwd = await table(join(rootfs, 'etc/passwd'));
  const entry = /^\d+$/.test(u) ? passwd.find((p) => p[2] === u) : passwd.find((p) => p[0] === u);
  const uid = /^\d+$/.test(u) ? Number(u) : entry ? Number(entry[2]) : NaN;
  if (Number.isNaN(uid)) throw invalid(`user ${u} is not in the image's /etc/passwd`, { user });
  if (g === undefined) return { uid, gid: entry ? Number(entry[3]) : 0 };
  if (/^\d+$/.test(g)) return { uid, gid: Number(g) };
  const group = (await table(join(rootfs, 'etc/group'))).find((x) => x[0] === g);
  if (!group) throw invalid(`group ${g} is not in the image's /etc/group`, { user });
  return { uid, gid: Number(group[2]) };
}

async function table(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}
