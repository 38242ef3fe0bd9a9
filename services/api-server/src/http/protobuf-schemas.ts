/**
 * Field numbers of the Kubernetes protobuf messages Bosun decodes (from the published
 * `generated.proto` files of k8s.io/api and apimachinery), limited to the kinds kubectl's typed
 * `create` generators send as protobuf. Types ending in 0 drop their zero value, as JSON's
 * `omitempty` does; plain `int`/`bool` are pointers in Go and keep an explicit zero.
 */
export type FieldType =
  | 'string'
  | 'bytes'
  | 'int'
  | 'int0'
  | 'bool'
  | 'bool0'
  | 'time'
  | 'intOrString'
  | 'stringMap'
  | 'bytesMap'
  | 'quantityMap'
  | `msg:${string}`;

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
}
export type Schema = Readonly<Record<number, Field>>;

const f = (name: string, type: FieldType, repeated = false): Field => ({ name, type, repeated });
const list = (name: string, type: FieldType): Field => f(name, type, true);

export const SCHEMAS: Readonly<Record<string, Schema>> = {
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  Unknown: {
    1: f('typeMeta', 'msg:TypeMeta'),
    2: f('raw', 'bytes'),
    3: f('contentEncoding', 'string'),
    4: f('contentType', 'string'),
  },
  Time: { 1: f('seconds', 'int0'), 2: f('nanos', 'int0') },
  MapEntry: { 1: f('key', 'bytes'), 2: f('value', 'bytes') },
  IntOrString: { 1: f('type', 'int0'), 2: f('intVal', 'int0'), 3: f('strVal', 'string') },
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    5: f('uid', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('generation', 'int0'),
    8: f('creationTimestamp', 'time'),
    11: f('labels', 'stringMap'),
    12: f('annotations', 'stringMap'),
    13: list('ownerReferences', 'msg:OwnerReference'),
    14: list('finalizers', 'string'),
  },
  OwnerReference: {
    1: f('kind', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
    6: f('controller', 'bool'),
    7: f('blockOwnerDeletion', 'bool'),
  },
  ObjectReference: {
    1: f('kind', 'string'),
    2: f('namespace', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
  },
  LocalObjectReference: { 1: f('name', 'string') },
  LabelSelector: {
    1: f('matchLabels', 'stringMap'),
    2: list('matchExpressions', 'msg:LabelSelectorRequirement'),
  },
  LabelSelectorRequirement: {
    1: f('key', 'string'),
    2: f('operator', 'string'),
    3: list('values', 'string'),
  },
  NamespaceSpec: { 1: list('finalizers', 'string') },
  Namespace: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:NamespaceSpec') },
  ConfigMap: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: f('data', 'stringMap'),
    3: f('binaryData', 'bytesMap'),
    4: f('immutable', 'bool'),
  },
  Secret: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: f('data', 'bytesMap'),
    3: f('type', 'string'),
    4: f('stringData', 'stringMap'),
    5: f('immutable', 'bool'),
  },
  ServiceAccount: {
    1: f('metadata', 'msg:ObjectMeta'),
    2: list('secrets', 'msg:ObjectReference'),
    3: list('imagePullSecrets', 'msg:LocalObjectReference'),
    4: f('automountServiceAccountToken', 'bool'),
  },
  ContainerPort: {
    1: f('name', 'string'),
    2: f('hostPort', 'int0'),
    3: f('containerPort', 'int'),
    4: f('protocol', 'string'),
    5: f('hostIP', 'string'),
  },
  EnvVar: { 1: f('name', 'string'), 2: f('value', 'string') },
  Quantity: { 1: f('string', 'string') },
  ResourceRequirements: { 1: f('limits', 'quantityMap'), 2: f('requests', 'quantityMap') },
  Container: {
    1: f('name', 'string'),
    2: f('image', 'string'),
    3: list('command', 'string'),
    4: list('args', 'string'),
    5: f('workingDir', 'string'),
    6: list('ports', 'msg:ContainerPort'),
    7: list('env', 'msg:EnvVar'),
    8: f('resources', 'msg:ResourceRequirements'),
    13: f('terminationMessagePath', 'string'),
    14: f('imagePullPolicy', 'string'),
    16: f('stdin', 'bool0'),
    17: f('stdinOnce', 'bool0'),
    18: f('tty', 'bool0'),
    20: f('terminationMessagePolicy', 'string'),
  },
  PodSpec: {
    2: list('containers', 'msg:Container'),
    3: f('restartPolicy', 'string'),
    4: f('terminationGracePeriodSeconds', 'int'),
    5: f('activeDeadlineSeconds', 'int'),
    6: f('dnsPolicy', 'string'),
    7: f('nodeSelector', 'stringMap'),
    8: f('serviceAccountName', 'string'),
    10: f('nodeName', 'string'),
    11: f('hostNetwork', 'bool0'),
    15: list('imagePullSecrets', 'msg:LocalObjectReference'),
    16: f('hostname', 'string'),
    17: f('subdomain', 'string'),
    19: f('schedulerName', 'string'),
    20: list('initContainers', 'msg:Container'),
  },
  PodTemplateSpec: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:PodSpec') },
  DeploymentStrategy: { 1: f('type', 'string') },
  DeploymentSpec: {
    1: f('replicas', 'int'),
    2: f('selector', 'msg:LabelSelector'),
    3: f('template', 'msg:PodTemplateSpec'),
    4: f('strategy', 'msg:DeploymentStrategy'),
    5: f('minReadySeconds', 'int0'),
    6: f('revisionHistoryLimit', 'int'),
    7: f('paused', 'bool0'),
    9: f('progressDeadlineSeconds', 'int'),
  },
  Deployment: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:DeploymentSpec') },
  ServicePort: {
    1: f('name', 'string'),
    2: f('protocol', 'string'),
    3: f('port', 'int'),
    4: f('targetPort', 'intOrString'),
    5: f('nodePort', 'int0'),
    6: f('appProtocol', 'string'),
  },
  ServiceSpec: {
    1: list('ports', 'msg:ServicePort'),
    2: f('selector', 'stringMap'),
    3: f('clusterIP', 'string'),
    4: f('type', 'string'),
    5: list('externalIPs', 'string'),
    7: f('sessionAffinity', 'string'),
    10: f('externalName', 'string'),
  },
  Service: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:ServiceSpec') },
};

/** apiVersion/kind -> top-level message, for what the envelope names. */
export const TOP_LEVEL: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'apps/v1/Deployment': 'Deployment',
};
