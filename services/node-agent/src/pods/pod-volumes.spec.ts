import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerConfigError } from './container-env';
import { subPathOnHost } from './pod-volumes';

describe('subPathOnHost: a mount never reaches outside its volume', () => {
  let root: string;
  let volume: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bosun-subpath-'));
    volume = join(root, 'pods', 'uid', 'volumes', 'data');
    mkdirSync(join(volume, 'logs', 'app'), { recursive: true });
    mkdirSync(join(root, 'secret-elsewhere'));
    // What a container sharing the volume could make: a link pointing out of it.
    symlinkSync(join(root, 'secret-elsewhere'), join(volume, 'escape'));
    symlinkSync('/', join(volume, 'root'));
    symlinkSync(join(volume, 'logs'), join(volume, 'inner'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves paths below the volume, existing or not', () => {
    expect(subPathOnHost(volume, 'logs/app')).toBe(join(volume, 'logs', 'app'));
    expect(subPathOnHost(volume, 'new/dir')).toBe(join(volume, 'new', 'dir'));
    expect(subPathOnHost(volume, 'a/../logs')).toBe(join(volume, 'logs'));
    expect(subPathOnHost(volume, 'inner/app')).toBe(join(volume, 'inner', 'app'));
    // A name that merely starts with two dots stays inside (Kubernetes' own `..data`).
    expect(subPathOnHost(volume, '..data')).toBe(join(volume, '..data'));
  });

  it('refuses paths that leave it, by .. or absolute', () => {
    for (const p of ['..', '../other', 'logs/../../..', '/etc', '../..data'])
      expect(() => subPathOnHost(volume, p)).toThrow(ContainerConfigError);
  });

  it('refuses paths that leave it through a symlink', () => {
    for (const p of ['escape', 'root', 'root/etc', 'escape/'])
      expect(() => subPathOnHost(volume, p)).toThrow(/through a symlink/);
  });
});
