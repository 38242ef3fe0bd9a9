import type { PodSpec, PodTemplateSpec } from '@bosun/api-types';
import type { KubeObject } from '@bosun/controller-kit';
import type { Condition } from '../workloads/types';

export interface JobStatus {
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  conditions?: Condition[];
}

export interface Job extends KubeObject {
  spec: {
    parallelism?: number;
    completions?: number | null;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    completionMode?: 'NonIndexed' | 'Indexed';
    suspend?: boolean;
    template: Omit<PodTemplateSpec, 'spec'> & { spec: PodSpec };
  };
  status?: JobStatus;
}
