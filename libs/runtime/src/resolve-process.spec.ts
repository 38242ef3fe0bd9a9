import { resolveProcess } from './resolve-process';

const image = {
  ref: 'x',
  rootfs: '/r',
  entrypoint: ['/entry'],
  cmd: ['default-arg'],
  env: ['PATH=/bin', 'A=image'],
  workingDir: '/app',
};

describe('resolveProcess (Kubernetes command/args rules)', () => {
  test('no command, no args: image entrypoint + cmd', () => {
    expect(resolveProcess({ name: 'c', image }).args).toEqual(['/entry', 'default-arg']);
  });
  test('args replace the image cmd only', () => {
    expect(resolveProcess({ name: 'c', image, args: ['x'] }).args).toEqual(['/entry', 'x']);
  });
  test('command replaces the entrypoint and drops the image cmd', () => {
    expect(resolveProcess({ name: 'c', image, command: ['/bin/sh'] }).args).toEqual(['/bin/sh']);
    expect(
      resolveProcess({ name: 'c', image, command: ['/bin/sh'], args: ['-c', 'x'] }).args,
    ).toEqual(['/bin/sh', '-c', 'x']);
  });
  test('container env overrides image env; working dir defaults to the image one', () => {
    const p = resolveProcess({ name: 'c', image, env: { A: 'pod', B: 'b' } });
    expect(p.env).toEqual(['PATH=/bin', 'A=pod', 'B=b']);
    expect(p.cwd).toBe('/app');
    expect(resolveProcess({ name: 'c', image, workingDir: '/w' }).cwd).toBe('/w');
  });
  test('PATH gets a default; nothing to run is Invalid', () => {
    const bare = { ref: 'x', rootfs: '/r' };
    expect(resolveProcess({ name: 'c', image: bare, command: ['a'] }).env[0]).toMatch(
      /^PATH=\/usr/,
    );
    expect(() => resolveProcess({ name: 'c', image: bare })).toThrow(
      expect.objectContaining({ code: 'Invalid' }),
    );
  });
});
