import type { AdmissionPlugin } from './admission';

/**
 * A Secret's `stringData` is write-only: Kubernetes merges it into `data` (base64), its keys
 * winning, and never stores it. Bootstrap-token Secrets are usually written this way.
 */
export const secretStringData: AdmissionPlugin = {
  name: 'SecretStringData',
  mutate: ({ object, kind, subresource }) => {
    if (kind.group !== '' || kind.resource !== 'secrets' || subresource !== '') return;
    const plain = object['stringData'];
    if (plain === undefined || plain === null || typeof plain !== 'object') return;
    const data = { ...((object['data'] as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(plain as Record<string, unknown>))
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    object['data'] = data;
    delete object['stringData'];
  },
};
