import { equalIgnoreHash, podTemplateHash } from './pod-template-hash';

const t = (image: string, labels: Record<string, string> = { app: 'a' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image }] },
});

describe('pod-template-hash', () => {
  it('is stable across key order and uses only the safe alphabet', () => {
    const a = podTemplateHash(t('nginx'));
    const b = podTemplateHash({
      spec: { containers: [{ image: 'nginx', name: 'c' }] },
      metadata: { labels: { app: 'a' } },
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
  it('changes with the template and with the collision count', () => {
    expect(podTemplateHash(t('nginx'))).not.toBe(podTemplateHash(t('httpd')));
    expect(podTemplateHash(t('nginx'), 1)).not.toBe(podTemplateHash(t('nginx')));
  });
  it('treats nulls and empty objects/lists as absent (kubectl rollout undo sends them)', () => {
    const sent = {
      metadata: { labels: { app: 'a' }, creationTimestamp: null },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: {}, ports: [] }] },
    };
    expect(equalIgnoreHash(sent as never, t('nginx'))).toBe(true);
    expect(podTemplateHash(sent as never)).toBe(podTemplateHash(t('nginx')));
  });

  it('compares templates ignoring the pod-template-hash label', () => {
    expect(equalIgnoreHash(t('nginx', { app: 'a', 'pod-template-hash': 'x' }), t('nginx'))).toBe(
      true,
    );
    expect(equalIgnoreHash(t('nginx'), t('httpd'))).toBe(false);
  });
});
