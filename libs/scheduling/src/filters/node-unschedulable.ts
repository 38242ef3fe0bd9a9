import { reject, type FilterPlugin } from '../framework';
import { toleratedByAny } from '../tolerations';

export const ErrReasonUnschedulable = 'node(s) were unschedulable';

const unschedulableTaint = {
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
} as const;

/** A cordoned node takes only pods that tolerate the unschedulable taint (DaemonSet pods do). */
export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  prepare({ podInfo }) {
    const tolerated = toleratedByAny(podInfo.pod.spec.tolerations ?? [], unschedulableTaint);
    return (node) =>
      node.node.spec?.unschedulable && !tolerated
        ? reject(this.name, ErrReasonUnschedulable, true)
        : undefined;
  },
};
