import { reject, type FilterPlugin } from '../framework';
import { toleratedByAny } from '../tolerations';

/** NoSchedule and NoExecute taints must all be tolerated; PreferNoSchedule only scores. */
export const TaintToleration: FilterPlugin = {
  name: 'TaintToleration',
  prepare({ podInfo }) {
    const tolerations = podInfo.pod.spec.tolerations ?? [];
    return (node) => {
      for (const taint of node.node.spec?.taints ?? []) {
        if (taint.effect === 'PreferNoSchedule' || toleratedByAny(tolerations, taint)) continue;
        const reason = `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
        return reject(this.name, reason, true);
      }
      return undefined;
    };
  },
};
