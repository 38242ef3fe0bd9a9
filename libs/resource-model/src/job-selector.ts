import { child, isObj, type Obj, text } from './object-access';

/**
 * What the API server does to a Job on create once it has a uid: unless `spec.manualSelector`,
 * the Job selects its pods by its uid and its template carries the matching labels. Call after
 * defaulting and before validation.
 */
export function prepareJobSelector<T extends object>(job: T, uid: string): T {
  const o = job as Obj;
  const spec = child(o, 'spec');
  if (spec['manualSelector'] === true) return job;
  const name = text((isObj(o['metadata']) ? o['metadata'] : {})['name'] ?? '');
  spec['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  Object.assign(labels, {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  });
  return job;
}
