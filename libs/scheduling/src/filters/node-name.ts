import { reject, type FilterPlugin } from '../framework';

export const ErrReasonNodeName = "node(s) didn't match the requested node name";

/** A pod that names its node fits only there. */
export const NodeName: FilterPlugin = {
  name: 'NodeName',
  prepare({ podInfo }) {
    const wanted = podInfo.pod.spec.nodeName;
    if (!wanted) return undefined;
    return (node) =>
      node.name === wanted ? undefined : reject(this.name, ErrReasonNodeName, true);
  },
};
