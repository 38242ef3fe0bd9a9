import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Lease } from 'kubernetes-models/coordination.k8s.io/v1/Lease';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice';
import { Event as EventsV1Event } from 'kubernetes-models/events.k8s.io/v1/Event';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { Event } from 'kubernetes-models/v1/Event';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/** A `kubernetes-models` class: constructing one and calling validate() runs the upstream schema. */
type ModelClass = new (data: never) => { validate(): void };

/**
 * The validating model of each kind, keyed by the registry's schema name. The models' validators
 * are compiled from the upstream OpenAPI schemas.
 */
export const KIND_MODELS: Readonly<Record<string, ModelClass>> = {
  'io.k8s.api.core.v1.Namespace': Namespace,
  'io.k8s.api.core.v1.Pod': Pod,
  'io.k8s.api.core.v1.Node': Node,
  'io.k8s.api.core.v1.Service': Service,
  'io.k8s.api.core.v1.Endpoints': Endpoints,
  'io.k8s.api.core.v1.ConfigMap': ConfigMap,
  'io.k8s.api.core.v1.Secret': Secret,
  'io.k8s.api.core.v1.ServiceAccount': ServiceAccount,
  'io.k8s.api.core.v1.Event': Event,
  'io.k8s.api.core.v1.PersistentVolume': PersistentVolume,
  'io.k8s.api.core.v1.PersistentVolumeClaim': PersistentVolumeClaim,
  'io.k8s.api.apps.v1.Deployment': Deployment,
  'io.k8s.api.apps.v1.ReplicaSet': ReplicaSet,
  'io.k8s.api.apps.v1.DaemonSet': DaemonSet,
  'io.k8s.api.apps.v1.StatefulSet': StatefulSet,
  'io.k8s.api.batch.v1.Job': Job,
  'io.k8s.api.batch.v1.CronJob': CronJob,
  'io.k8s.api.coordination.v1.Lease': Lease,
  'io.k8s.api.discovery.v1.EndpointSlice': EndpointSlice,
  'io.k8s.api.events.v1.Event': EventsV1Event,
};
