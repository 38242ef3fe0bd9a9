import type { Obj } from './object-access';
import { age } from './human-duration';

/** One column of a kind's printer: its definition and how to compute the cell. */
export interface ColumnSpec {
  readonly name: string;
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format?: string;
  readonly description?: string;
  /** 0: always shown; 1: only with `-o wide`. */
  readonly priority?: number;
  readonly cell: (o: Obj, now: Date) => unknown;
}

export const AGE: ColumnSpec = {
  name: 'Age',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o, now) => age((o['metadata'] as Obj | undefined)?.['creationTimestamp'], now),
};

export const col = (
  name: string,
  cell: ColumnSpec['cell'],
  extra: Omit<ColumnSpec, 'name' | 'cell'> = {},
): ColumnSpec => ({ name, cell, ...extra });

export const wide = (
  name: string,
  cell: ColumnSpec['cell'],
  extra: Omit<ColumnSpec, 'name' | 'cell' | 'priority'> = {},
): ColumnSpec => ({
  name,
  cell,
  priority: 1,
  ...extra,
});
