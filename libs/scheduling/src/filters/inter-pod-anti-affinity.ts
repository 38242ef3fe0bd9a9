import type { ClusterSnapshot } from '../cluster-snapshot';
import { reject, type FilterPlugin } from '../framework';
import { labelMatcher } from '../label-selector';
import { podKey, podNamespace, type Pod, type PodAffinityTerm } from '../types';

export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const ErrReasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";

/** Does `term`, declared by a pod in `ownerNamespace`, select `pod`? */
function termSelects(term: PodAffinityTerm, ownerNamespace: string, pod: Pod): boolean {
  const namespaces = term.namespaces?.length ? term.namespaces : [ownerNamespace];
  return (
    namespaces.includes(podNamespace(pod)) && labelMatcher(term.labelSelector)(pod.metadata.labels)
  );
}

type Domains = Map<string, Set<string>>;

function addDomain(domains: Domains, key: string, value: string | undefined): void {
  if (value === undefined) return;
  let values = domains.get(key);
  if (!values) domains.set(key, (values = new Set()));
  values.add(value);
}

/** Topology domains where existing pods' required anti-affinity forbids the incoming pod. */
function existingPodsForbid(pod: Pod, snapshot: ClusterSnapshot): Domains {
  const domains: Domains = new Map();
  for (const [key, info] of snapshot.podsWithAntiAffinity) {
    const nodeName = snapshot.nodeOfPod(key);
    const labels = (nodeName && snapshot.get(nodeName)?.node.metadata.labels) || undefined;
    if (!labels || key === podKey(pod)) continue;
    const terms =
      info.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (const term of terms) {
      if (termSelects(term, podNamespace(info.pod), pod))
        addDomain(domains, term.topologyKey, labels[term.topologyKey]);
    }
  }
  return domains;
}

/** For each of the incoming pod's terms, the domains already holding a pod it must avoid. */
function incomingPodForbids(
  pod: Pod,
  terms: readonly PodAffinityTerm[],
  snapshot: ClusterSnapshot,
) {
  const self = podKey(pod);
  return terms.map((term) => {
    const values = new Set<string>();
    for (const node of snapshot.list()) {
      const value = node.node.metadata.labels?.[term.topologyKey];
      if (value === undefined || values.has(value)) continue;
      for (const [key, other] of node.pods) {
        if (key !== self && termSelects(term, podNamespace(pod), other.pod)) {
          values.add(value);
          break;
        }
      }
    }
    return { key: term.topologyKey, values };
  });
}

/** Required pod anti-affinity, both the incoming pod's and that of pods already placed. */
export const InterPodAntiAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  prepare({ podInfo, snapshot }) {
    const { pod } = podInfo;
    const terms =
      pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (terms.length === 0 && snapshot.podsWithAntiAffinity.size === 0) return undefined;
    const existing = existingPodsForbid(pod, snapshot);
    const incoming = incomingPodForbids(pod, terms, snapshot);
    return (node) => {
      const labels = node.node.metadata.labels ?? {};
      for (const [key, values] of existing) {
        if (key in labels && values.has(labels[key])) {
          return reject(this.name, ErrReasonExistingAntiAffinityRulesNotMatch);
        }
      }
      for (const { key, values } of incoming) {
        if (key in labels && values.has(labels[key]))
          return reject(this.name, ErrReasonAntiAffinityRulesNotMatch);
      }
      return undefined;
    };
  },
};
