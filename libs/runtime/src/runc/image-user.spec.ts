import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveUser } from './image-user';

describe('resolveUser (image User to numeric ids)', () => {
  let rootfs: string;
  beforeAll(async () => {
    rootfs = await mkdtemp(join(tmpdir(), 'bosun-user-'));
    await mkdir(join(rootfs, 'etc'));
    await writeFile(
      join(rootfs, 'etc/passwd'),
      'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/app:/bin/sh\n',
    );
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nstaff:x:50:\n');
  });
  afterAll(() => rm(rootfs, { recursive: true, force: true }));

  test('empty is root; numbers are taken as they are', async () => {
    expect(await resolveUser(rootfs)).toEqual({ uid: 0, gid: 0 });
    expect(await resolveUser(rootfs, '42:43')).toEqual({ uid: 42, gid: 43 });
    expect(await resolveUser(rootfs, '1000')).toEqual({ uid: 1000, gid: 1001 });
  });

  test('names are looked up in the image', async () => {
    expect(await resolveUser(rootfs, 'app')).toEqual({ uid: 1000, gid: 1001 });
    expect(await resolveUser(rootfs, 'app:staff')).toEqual({ uid: 1000, gid: 50 });
  });

  test('unknown names are Invalid', async () => {
    await expect(resolveUser(rootfs, 'nobody')).rejects.toMatchObject({ code: 'Invalid' });
    await expect(resolveUser(rootfs, 'app:nogroup')).rejects.toMatchObject({ code: 'Invalid' });
  });
});
