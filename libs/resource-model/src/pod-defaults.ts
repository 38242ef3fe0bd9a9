import { child, type Obj, objects, setDefault, text } from './object-access';

/** `:latest` or no tag (and no digest) pulls Always, anything else IfNotPresent. */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Obj): void {
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const p of objects(c['ports'])) setDefault(p, 'protocol', 'TCP');
  const res = c['resources'];
  if (res !== null && typeof res === 'object') {
    // Requests missing for a limited resource default to the limit.
    const limits = (res as Obj)['limits'];
    if (limits !== null && typeof limits === 'object') {
      const requests = child(res as Obj, 'requests');
      for (const [k, v] of Object.entries(limits as Obj)) setDefault(requests, k, v);
    }
  }
  for (const e of objects(c['env'])) {
    const ref = e['valueFrom'];
    if (ref !== null && typeof ref === 'object' && 'fieldRef' in ref) {
      const fieldRef = (ref as Obj)['fieldRef'];
      if (fieldRef !== null && typeof fieldRef === 'object')
        setDefault(fieldRef as Obj, 'apiVersion', 'v1');
    }
  }
}

/** Defaults a PodSpec in place the way the Kubernetes API server does (also for templates). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'enableServiceLinks', true);
  if (spec['serviceAccountName'] === undefined && typeof spec['serviceAccount'] === 'string') {
    spec['serviceAccountName'] = spec['serviceAccount'];
  }
  for (const c of [...objects(spec['containers']), ...objects(spec['initContainers'])])
    defaultContainer(c);
  for (const v of objects(spec['volumes'])) {
    const secret = v['secret'];
    if (secret !== null && typeof secret === 'object')
      setDefault(secret as Obj, 'defaultMode', 420);
    const cm = v['configMap'];
    if (cm !== null && typeof cm === 'object') setDefault(cm as Obj, 'defaultMode', 420);
  }
}

/** A Pod (not a template): also the service account admission default and status phase. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec['serviceAccountName']);
  setDefault(spec, 'priority', 0);
  const tolerations = Array.isArray(spec['tolerations']) ? (spec['tolerations'] as Obj[]) : [];
  // DefaultTolerationSeconds admission: tolerate not-ready / unreachable nodes for 300 s.
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t['key'] === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec['tolerations'] = tolerations;
  const status = child(pod, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', qosClass(spec));
}

/** BestEffort without any request/limit, Guaranteed when every limit equals its request, else Burstable. */
function qosClass(spec: Obj): string {
  const containers = objects(spec['containers']);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = (c['resources'] ?? {}) as Obj;
    const req = (res['requests'] ?? {}) as Obj;
    const lim = (res['limits'] ?? {}) as Obj;
    if (Object.keys(req).length + Object.keys(lim).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && text(req[r]) !== text(lim[r])))
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
