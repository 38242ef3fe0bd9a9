import { child, type Obj, objects, setDefault, text } from './object-access';
import { defaultPod, defaultPodSpec } from './pod-defaults';

function defaultTemplate(o: Obj): void {
  const template = child(child(o, 'spec'), 'template');
  defaultPodSpec(child(template, 'spec'));
}

function defaultDeployment(d: Obj): void {
  const spec = child(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(d);
}

function defaultReplicaSet(rs: Obj): void {
  setDefault(child(rs, 'spec'), 'replicas', 1);
  defaultTemplate(rs);
}

function defaultDaemonSet(ds: Obj): void {
  const spec = child(ds, 'spec');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(ds);
}

function defaultStatefulSet(sts: Obj): void {
  const spec = child(sts, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate')
    setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  defaultTemplate(sts);
}

function defaultJobSpec(spec: Obj): void {
  // Both unset: one pod. Only parallelism set: a work queue, completions stay unset.
  if (spec['completions'] == null && spec['parallelism'] == null) spec['completions'] = 1;
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec['backoffLimitPerIndex'] == null ? 6 : 2147483647);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(
    spec,
    'podReplacementPolicy',
    spec['podFailurePolicy'] == null ? 'TerminatingOrFailed' : 'Failed',
  );
  // No restartPolicy default here would differ from pods: validation rejects Always for Jobs.
  defaultPodSpec(child(child(spec, 'template'), 'spec'));
}

function defaultCronJob(cj: Obj): void {
  const spec = child(cj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  // Only the pod template is defaulted inside a job template; Job defaults apply when the Job is made.
  defaultPodSpec(child(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'), 'spec'));
}

function defaultService(svc: Obj): void {
  const spec = child(svc, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') {
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  }
  for (const p of objects(spec['ports'])) {
    setDefault(p, 'protocol', 'TCP');
    setDefault(p, 'targetPort', p['port']);
  }
}

function defaultNamespace(ns: Obj): void {
  setDefault(child(ns, 'spec'), 'finalizers', ['kubernetes']);
  setDefault(child(ns, 'status'), 'phase', 'Active');
  // The server labels every namespace with its own name.
  const meta = child(ns, 'metadata');
  if (typeof meta['name'] === 'string')
    child(meta, 'labels')['kubernetes.io/metadata.name'] = meta['name'];
}

const DEFAULTERS: Readonly<Record<string, (o: Obj) => void>> = {
  'v1/Pod': defaultPod,
  'v1/Service': defaultService,
  'v1/Namespace': defaultNamespace,
  'v1/Secret': (s) => setDefault(s, 'type', 'Opaque'),
  'v1/PersistentVolumeClaim': (pvc) => setDefault(child(pvc, 'spec'), 'volumeMode', 'Filesystem'),
  'v1/PersistentVolume': (pv) => {
    setDefault(child(pv, 'spec'), 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(child(pv, 'spec'), 'volumeMode', 'Filesystem');
  },
  'apps/v1/Deployment': defaultDeployment,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'apps/v1/DaemonSet': defaultDaemonSet,
  'apps/v1/StatefulSet': defaultStatefulSet,
  'batch/v1/Job': (j) => defaultJobSpec(child(j, 'spec')),
  'batch/v1/CronJob': defaultCronJob,
};

/**
 * Applies Kubernetes' defaults for the object's kind in place and returns it. Kinds without
 * defaults are returned untouched.
 */
export function applyDefaults<T extends object>(obj: T): T {
  const o = obj as Obj;
  const key = `${text(o['apiVersion'])}/${text(o['kind'])}`;
  DEFAULTERS[key]?.(o);
  return obj;
}
