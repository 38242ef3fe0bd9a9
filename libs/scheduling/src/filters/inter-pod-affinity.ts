import type { ClusterSnapshot } from '../cluster-snapshot';
import { reject, type FilterPlugin } from '../framework';
import { labelMatcher } from '../label-selector';
import { podKey, podNamespace, type Pod, type PodAffinityTerm } from '../types';

export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
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

/** For each term of the incoming pod, the topology values of nodes holding a pod it selects. */
function domainsWithSelectedPods(
  pod: Pod,
  terms: readonly PodAffinityTerm[],
  snapshot: ClusterSnapshot,
): Array<{ key: string; values: Set<string> }> {
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

/**
 * Required pod affinity holds when every term finds a selected pod in the node's domain. The first
 * pod of a group that selects itself may go anywhere, or it could never be placed.
 */
function affinityCheck(pod: Pod, terms: readonly PodAffinityTerm[], snapshot: ClusterSnapshot) {
  if (terms.length === 0) return () => true;
  const required = domainsWithSelectedPods(pod, terms, snapshot);
  const noneAnywhere = required.every((r) => r.values.size === 0);
  const selectsItself = terms.every((t) => termSelects(t, podNamespace(pod), pod));
  if (noneAnywhere && selectsItself) return () => true;
  return (labels: Readonly<Record<string, string>>) =>
    required.every(({ key, values }) => key in labels && values.has(labels[key]));
}

/**
 * Required inter-pod (anti-)affinity, in kube-scheduler's order: the pod's affinity (a miss is
 * unresolvable: preemption cannot create the pods it wants), its anti-affinity, then the
 * anti-affinity of pods already placed.
 */
export const InterPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  prepare({ podInfo, snapshot }) {
    const { pod } = podInfo;
    const affinity =
      pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const anti =
      pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (affinity.length === 0 && anti.length === 0 && snapshot.podsWithAntiAffinity.size === 0) {
      return undefined;
    }
    const satisfiesAffinity = affinityCheck(pod, affinity, snapshot);
    const avoided = domainsWithSelectedPods(pod, anti, snapshot);
    const existing = existingPodsForbid(pod, snapshot);
    return (node) => {
      const labels = node.node.metadata.labels ?? {};
      if (!satisfiesAffinity(labels))
        return reject(this.name, ErrReasonAffinityRulesNotMatch, true);
      for (const { key, values } of avoided) {
        if (key in labels && values.has(labels[key])) {
          return reject(this.name, ErrReasonAntiAffinityRulesNotMatch);
        }
      }
      for (const [key, values] of existing) {
        if (key in labels && values.has(labels[key])) {
          return reject(this.name, ErrReasonExistingAntiAffinityRulesNotMatch);
        }
      }
      return undefined;
    };
  },
};

/** The same plugin under the name this lib first exported it by. */
export const InterPodAntiAffinity = InterPodAffinity;
