import type { FieldCause } from '@bosun/common';
import { fieldError, FieldReason } from './api-errors';
import { NameRule, nameProblems } from './metadata-validation';
import { isObj, objects } from './object-access';

function portCauses(c: Record<string, unknown>, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  objects(c['ports']).forEach((p, i) => {
    const port = p['containerPort'];
    if (port === undefined) out.push(fieldError.required(`${path}.ports[${i}].containerPort`));
    else if (typeof port !== 'number' || port < 1 || port > 65535) {
      out.push(
        fieldError.invalid(
          `${path}.ports[${i}].containerPort`,
          port,
          'must be between 1 and 65535, inclusive',
        ),
      );
    }
  });
  return out;
}

/**
 * A path inside a volume (a mount's subPath, a projected item's path): relative and never stepping
 * out with '..', as Kubernetes' validateLocalDescendingPath. The node agent joins these to host
 * paths it writes as root.
 */
export function localDescendingPathCauses(value: unknown, path: string): FieldCause[] {
  if (typeof value !== 'string') return [];
  const out: FieldCause[] = [];
  if (value.startsWith('/')) out.push(fieldError.invalid(path, value, 'must be a relative path'));
  if (value.split('/').includes('..'))
    out.push(fieldError.invalid(path, value, "must not contain '..'"));
  return out;
}

function volumeCauses(v: Record<string, unknown>, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  for (const source of ['configMap', 'secret'] as const) {
    const src = v[source];
    if (!isObj(src)) continue;
    objects(src['items']).forEach((item, i) => {
      const at = `${path}.${source}.items[${i}].path`;
      if (typeof item['path'] !== 'string' || item['path'] === '')
        out.push(fieldError.required(at));
      else out.push(...localDescendingPathCauses(item['path'], at));
    });
  }
  return out;
}

function containerCauses(
  c: Record<string, unknown>,
  path: string,
  volumes: Set<string>,
  names: Set<string>,
): FieldCause[] {
  const out: FieldCause[] = [];
  const name = c['name'];
  if (typeof name !== 'string' || name === '') out.push(fieldError.required(`${path}.name`));
  else {
    for (const p of nameProblems(name, NameRule.Label))
      out.push(fieldError.invalid(`${path}.name`, name, p));
    if (names.has(name)) out.push(fieldError.duplicate(`${path}.name`, name));
    names.add(name);
  }
  if (typeof c['image'] !== 'string' || c['image'].trim() === '')
    out.push(fieldError.required(`${path}.image`));
  out.push(...portCauses(c, path));
  objects(c['volumeMounts']).forEach((m, i) => {
    const v = m['name'];
    if (typeof v === 'string' && !volumes.has(v)) {
      out.push({
        field: `${path}.volumeMounts[${i}].name`,
        reason: FieldReason.NotFound,
        message: `Not found: ${JSON.stringify(v)}`,
      });
    }
    if (typeof m['mountPath'] !== 'string' || m['mountPath'] === '')
      out.push(fieldError.required(`${path}.volumeMounts[${i}].mountPath`));
    out.push(...localDescendingPathCauses(m['subPath'], `${path}.volumeMounts[${i}].subPath`));
    out.push(
      ...localDescendingPathCauses(m['subPathExpr'], `${path}.volumeMounts[${i}].subPathExpr`),
    );
  });
  return out;
}

/** Rules of a PodSpec the schema cannot express (at `path`, e.g. `spec.template.spec`). */
export function podSpecCauses(spec: unknown, path: string): FieldCause[] {
  if (!isObj(spec)) return [fieldError.required(path)];
  const out: FieldCause[] = [];
  const volumes = new Set<string>();
  objects(spec['volumes']).forEach((v, i) => {
    const name = v['name'];
    if (typeof name !== 'string' || name === '') {
      out.push(fieldError.required(`${path}.volumes[${i}].name`));
      return;
    }
    // A DNS label: the node agent makes a directory of this name under the pod's.
    for (const p of nameProblems(name, NameRule.Label))
      out.push(fieldError.invalid(`${path}.volumes[${i}].name`, name, p));
    if (volumes.has(name)) out.push(fieldError.duplicate(`${path}.volumes[${i}].name`, name));
    else volumes.add(name);
    out.push(...volumeCauses(v, `${path}.volumes[${i}]`));
  });
  const containers = objects(spec['containers']);
  if (containers.length === 0) out.push(fieldError.required(`${path}.containers`));
  const names = new Set<string>();
  containers.forEach((c, i) =>
    out.push(...containerCauses(c, `${path}.containers[${i}]`, volumes, names)),
  );
  objects(spec['initContainers']).forEach((c, i) =>
    out.push(...containerCauses(c, `${path}.initContainers[${i}]`, volumes, names)),
  );
  const grace = spec['terminationGracePeriodSeconds'];
  if (typeof grace === 'number' && grace < 0)
    out.push(
      fieldError.invalid(
        `${path}.terminationGracePeriodSeconds`,
        grace,
        'must be greater than or equal to 0',
      ),
    );
  const deadline = spec['activeDeadlineSeconds'];
  if (typeof deadline === 'number' && deadline <= 0)
    out.push(
      fieldError.invalid(`${path}.activeDeadlineSeconds`, deadline, 'must be greater than 0'),
    );
  return out;
}

/** Only these restart policies are allowed for a template (`Always` for workloads, not Jobs). */
export function restartPolicyCauses(
  spec: unknown,
  path: string,
  allowed: readonly string[],
): FieldCause[] {
  if (!isObj(spec)) return [];
  const policy = spec['restartPolicy'];
  if (policy === undefined || allowed.includes(String(policy))) return [];
  return [fieldError.notSupported(`${path}.restartPolicy`, policy, allowed)];
}
