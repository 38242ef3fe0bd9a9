import { reject, type FilterPlugin } from '../framework';
import type { HostPort } from '../node-info';

export const ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

/** Same protocol and port conflict when either side binds all addresses or both bind the same. */
function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip;
}

export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  prepare({ podInfo }) {
    const wanted = podInfo.hostPorts;
    if (wanted.length === 0) return undefined;
    return (node) => {
      for (const w of wanted) {
        if (node.usedPorts.some((u) => conflicts(w, u)))
          return reject(this.name, ErrReasonNodePorts);
      }
      return undefined;
    };
  },
};
