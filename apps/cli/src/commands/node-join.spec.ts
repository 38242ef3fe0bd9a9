import { parseFlags } from '../flags';
import type { Output } from '../output';
import { agentEnv, defaultRoot, isCidr, nodeJoin, nodeJoinSpec, planJoin } from './node-join';

const TOKEN = 'abcdef.0123456789abcdef';
const HASH = `sha256:${'ab'.repeat(32)}`;
const plan = (args: string[]) =>
  planJoin(parseFlags(args, nodeJoinSpec.flags), { HOME: '/home/u' });
const capture = (): Output & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    info: (l) => lines.push(l),
    error: (l) => errors.push(l),
    progress: () => undefined,
  };
};

describe('bosun node join: the command line', () => {
  it('turns flags into a plan', () => {
    const p = plan([
      'https://10.0.0.1:6443',
      '--token',
      TOKEN,
      '--ca-cert-hash',
      HASH.toUpperCase().replace('SHA256', 'sha256'),
      '--name',
      'worker-1',
      '--runtime',
      'process',
      '--root',
      '/tmp/n',
      '--pod-cidr',
      '10.244.3.0/24',
    ]);
    expect(p).toEqual({
      server: new URL('https://10.0.0.1:6443'),
      token: TOKEN,
      trust: { hash: HASH },
      root: '/tmp/n',
      nodeName: 'worker-1',
      runtime: 'process',
      podCidr: '10.244.3.0/24',
    });
    expect(plan(['10.0.0.1:6443', '--token', TOKEN, '--ca-file', '/etc/ca.crt']).server.href).toBe(
      'https://10.0.0.1:6443/',
    );
  });

  it.each([
    [[], /missing the api-server URL/],
    [['https://a:1', 'https://b:1', '--token', TOKEN, '--ca-file', 'x'], /unexpected argument/],
    [['http://a:1', '--token', TOKEN, '--ca-file', 'x'], /https only/],
    [['https://a:1/api', '--token', TOKEN, '--ca-file', 'x'], /nothing more/],
    [['https://a:1', '--ca-file', 'x'], /--token is required/],
    [
      ['https://a:1', '--token', 'abc', '--ca-file', 'x'],
      /invalid --token: the token is not a bootstrap token/,
    ],
    [['https://a:1', '--token', TOKEN], /one of --ca-cert-hash or --ca-file is required/],
    [['https://a:1', '--token', TOKEN, '--ca-file', 'x', '--ca-cert-hash', HASH], /not both/],
    [['https://a:1', '--token', TOKEN, '--ca-cert-hash', 'md5:abc'], /invalid --ca-cert-hash/],
    [
      ['https://a:1', '--token', TOKEN, '--ca-file', 'x', '--runtime', 'docker'],
      /one of runc, process/,
    ],
    [['https://a:1', '--token', TOKEN, '--ca-file', 'x', '--name', 'Worker_1'], /invalid --name/],
    [
      ['https://a:1', '--token', TOKEN, '--ca-file', 'x', '--pod-cidr', '10.0.0.0/33'],
      /not a CIDR/,
    ],
  ])('%j is refused: %s', (args, message) => {
    expect(() => plan(args)).toThrow(message);
  });

  it('keeps state under /var/lib as root, else in the home directory', () => {
    expect(defaultRoot(0, '/root')).toBe('/var/lib/bosun/node-agent');
    expect(defaultRoot(1000, '/home/u')).toBe('/home/u/.bosun-node');
    expect(plan(['https://a:1', '--token', TOKEN, '--ca-file', 'x']).root).toBe(
      process.getuid?.() === 0 ? '/var/lib/bosun/node-agent' : '/home/u/.bosun-node',
    );
  });

  it('checks CIDRs', () => {
    expect(isCidr('10.244.0.0/16')).toBe(true);
    expect(isCidr('fd00::/64')).toBe(true);
    expect(isCidr('10.244.0.0')).toBe(false);
    expect(isCidr('10.244.0.300/24')).toBe(false);
  });

  it('gives the agent the join settings and drops a kubeconfig that would override them', () => {
    const p = plan([
      'https://a:6443',
      '--token',
      TOKEN,
      '--ca-file',
      'x',
      '--name',
      'n1',
      '--runtime',
      'process',
    ]);
    const env = agentEnv(p, '/r/ca.crt', {
      NODE_AGENT_KUBECONFIG: '/k',
      NODE_AGENT_GRPC_PORT: '0',
    });
    expect(env).toEqual({
      NODE_AGENT_API_SERVER: 'https://a:6443',
      NODE_AGENT_BOOTSTRAP_TOKEN: TOKEN,
      NODE_AGENT_CA_FILE: '/r/ca.crt',
      NODE_AGENT_ROOT: p.root,
      NODE_NAME: 'n1',
      NODE_AGENT_RUNTIME: 'process',
      NODE_AGENT_GRPC_PORT: '0',
    });
  });

  it('an unknown flag is exit 2 with a hint; --help shows usage and examples', async () => {
    const out = capture();
    expect(await nodeJoin(['https://a:1', '--tokn', TOKEN], {}, out)).toBe(2);
    expect(out.errors[0]).toBe("unknown flag: --tokn\nSee 'bosun node join --help' for usage.");
    const help = capture();
    expect(await nodeJoin(['--help'], {}, help)).toBe(0);
    expect(help.lines[0]).toMatch(/Usage:\n {2}bosun node join <api-server-url> --token/);
    expect(help.lines[0]).toMatch(/Examples:/);
  });
});
