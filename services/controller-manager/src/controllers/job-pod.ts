import { newControllerRef } from '@bosun/controller-kit';
import { CompletionIndexAnnotation } from './job-indexes';
import type { Job } from './job-types';
import type { Pod } from '../workloads/types';

/** A pod from the Job's template, labelled and owned as Kubernetes does it. */
export function jobPod(job: Job, index?: number): Pod {
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const meta = job.spec.template.metadata ?? {};
  const labels: Record<string, string> = {
    ...meta.labels,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const annotations = { ...meta.annotations };
  let spec = { ...job.spec.template.spec };
  if (index !== undefined) {
    labels[CompletionIndexAnnotation] = String(index);
    annotations[CompletionIndexAnnotation] = String(index);
    const env = { name: 'JOB_COMPLETION_INDEX', value: String(index) };
    spec = {
      ...spec,
      hostname: `${name}-${index}`,
      containers: spec.containers.map((c) => ({ ...c, env: [...(c.env ?? []), env] })),
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [newControllerRef(job, 'batch/v1', 'Job')],
    },
    spec,
  };
}
