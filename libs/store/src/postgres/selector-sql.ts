import type { FieldSelector } from '../selectors/field-selector';
import { LabelOp, type LabelSelector } from '../selectors/label-selector';

/** Where the generated conditions read from: a table's columns or an event's object. */
export interface SqlColumns {
  readonly labels: string; // a jsonb expression holding the labels map
  readonly object: string; // the jsonb object
  readonly namespace: string;
  readonly name: string;
}

/** Appends `v` to `params` and returns its placeholder. */
export function param(params: unknown[], v: unknown): string {
  params.push(v);
  return `$${params.length}`;
}

function labelCondition(cols: SqlColumns, params: unknown[], r: LabelSelector[number]): string {
  const one = (k: string, v: string) => param(params, JSON.stringify({ [k]: v })) + '::jsonb';
  const value = () => `(${cols.labels} ->> ${param(params, r.key)}::text)`;
  switch (r.op) {
    case LabelOp.Equals:
      return `${cols.labels} @> ${one(r.key, r.values[0])}`;
    case LabelOp.NotEquals:
      return `NOT (${cols.labels} @> ${one(r.key, r.values[0])})`;
    case LabelOp.In:
      return `${value()} = ANY(${param(params, r.values)}::text[])`;
    case LabelOp.NotIn: {
      const v = value();
      return `(${v} IS NULL OR NOT (${v} = ANY(${param(params, r.values)}::text[])))`;
    }
    case LabelOp.Exists:
      return `${cols.labels} ? ${param(params, r.key)}::text`;
    case LabelOp.DoesNotExist:
      return `NOT (${cols.labels} ? ${param(params, r.key)}::text)`;
  }
}

function fieldExpr(cols: SqlColumns, params: unknown[], field: string): string {
  if (field === 'metadata.name') return cols.name;
  if (field === 'metadata.namespace') return cols.namespace;
  return `coalesce(${cols.object} #>> ${param(params, field.split('.'))}::text[], '')`;
}

/** SQL conditions (joined with AND, or TRUE) for parsed selectors; values go to `params`. */
export function selectorSql(
  cols: SqlColumns,
  params: unknown[],
  labels: LabelSelector,
  fields: FieldSelector,
): string {
  const conds = labels.map((r) => labelCondition(cols, params, r));
  for (const f of fields) {
    const expr = fieldExpr(cols, params, f.field);
    conds.push(`${expr} ${f.op === '=' ? '=' : '<>'} ${param(params, f.value)}::text`);
  }
  return conds.length ? conds.join(' AND ') : 'TRUE';
}
