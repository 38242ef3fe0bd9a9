/* global process, console */
// Drives @kubernetes/client-node (ESM only, hence a child process) against the api-server named
// by KUBECONFIG: CRUD on a ConfigMap, then a watch resumed from a resourceVersion. Prints one JSON
// object with what it observed; exits non-zero on failure.
import * as k8s from '@kubernetes/client-node';

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const namespace = 'default';
const out = {};

const created = await core.createNamespacedConfigMap({
  namespace,
  body: { metadata: { name: 'cn' }, data: { a: '1' } },
});
out.createdName = created.metadata.name;
const read = await core.readNamespacedConfigMap({ name: 'cn', namespace });
out.readData = read.data;
read.data = { a: '2' };
const replaced = await core.replaceNamespacedConfigMap({ name: 'cn', namespace, body: read });
out.replacedData = replaced.data;
const patched = await core.patchNamespacedConfigMap({
  name: 'cn',
  namespace,
  body: [{ op: 'add', path: '/data/b', value: '3' }],
});
out.patchedData = patched.data;
const list = await core.listNamespacedConfigMap({ namespace });
out.listed = list.items.map((i) => i.metadata.name);
try {
  read.data = { a: 'stale' };
  await core.replaceNamespacedConfigMap({ name: 'cn', namespace, body: read });
  out.staleReplace = 'accepted';
} catch (e) {
  out.staleReplace = e.code;
}

// Watch from the revision of the patch: must see exactly the later changes, in order.
const events = [];
const from = patched.metadata.resourceVersion;
const watch = new k8s.Watch(kc);
let done;
const finished = new Promise((r) => (done = r));
const req = await watch.watch(
  `/api/v1/namespaces/${namespace}/configmaps`,
  { resourceVersion: from },
  (type, obj) => {
    events.push(`${type}:${obj.metadata.name}:${obj.data?.c ?? ''}`);
    if (type === 'DELETED') done();
  },
  (err) => done(err),
);
await core.patchNamespacedConfigMap({
  name: 'cn',
  namespace,
  body: [{ op: 'add', path: '/data/c', value: 'x' }],
});
await core.deleteNamespacedConfigMap({ name: 'cn', namespace });
await finished;
req.abort();
out.watched = events;
console.log(JSON.stringify(out));
