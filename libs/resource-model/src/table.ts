import { BosunError, ErrorCode } from '@bosun/common';
import type { KindInfo } from './kind-definition';
import { isObj, type Obj, text } from './object-access';
import { type ColumnSpec, printerFor } from './table-printers';

/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: what `kubectl get` asks for. */
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: Record<string, unknown>;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** The `includeObject` query parameter: None, Metadata (default) or Object. */
export const IncludeObject = { None: 'None', Metadata: 'Metadata', Object: 'Object' } as const;
export type IncludeObject = (typeof IncludeObject)[keyof typeof IncludeObject];

export interface TableOptions {
  readonly includeObject?: IncludeObject | string;
  /** The clock for the AGE column (tests pass a fixed one). */
  readonly now?: Date;
  readonly resourceVersion?: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

const NAME_COLUMN: ColumnSpec = {
  name: 'Name',
  format: 'name',
  description:
    'Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  cell: (o) => text((o['metadata'] as Obj | undefined)?.['name'] ?? ''),
};

function rowObject(kind: KindInfo, o: Obj, include: string): Record<string, unknown> | undefined {
  if (include === IncludeObject.None) return undefined;
  if (include === IncludeObject.Object) return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: isObj(o['metadata']) ? o['metadata'] : {},
  };
}

/**
 * Renders objects of one kind as the `meta.k8s.io/v1` Table the real server returns for
 * `kubectl get`: the kind's columns (wide ones at priority 1) and one row per object.
 */
export function toTable(
  kind: KindInfo,
  objects: readonly unknown[],
  opts: TableOptions = {},
): Table {
  const include = opts.includeObject ?? IncludeObject.Metadata;
  if (
    include !== IncludeObject.None &&
    include !== IncludeObject.Metadata &&
    include !== IncludeObject.Object
  ) {
    throw new BosunError(
      ErrorCode.BadRequest,
      `includeObject must be one of None, Metadata or Object, got ${JSON.stringify(include)}`,
    );
  }
  const now = opts.now ?? new Date();
  const columns = printerFor(kind.apiVersion, kind.kind, NAME_COLUMN);
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue !== undefined) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.filter(isObj).map((o) => {
      const object = rowObject(kind, o, include);
      return {
        cells: columns.map((c) => c.cell(o, now)),
        ...(object === undefined ? {} : { object }),
      };
    }),
  };
}
