import { useState } from 'react';

let keys = 0;
const nextKey = () => `line-${++keys}`;

/**
 * The rows of a form's list field (BOM lines, routing operations, unit conversions) edited in
 * place. Each row has a React key of its own, so an input keeps its text and focus while rows
 * before it are added, removed or moved; field errors are found by the row's index
 * (`lines.2.quantityPer`), as the server's pointers name them.
 */
export function useEditableLines<V extends Record<string, unknown>, K extends keyof V & string>(
  form: { values: V; errors: Record<string, string | undefined>; set: (name: string, value: unknown) => void },
  name: K,
) {
  type Row = V[K] extends Array<infer R> ? R : never;
  const rows = form.values[name] as Row[];
  const [rowKeys, setRowKeys] = useState(() => rows.map(nextKey));
  const put = (i: number, row: Row) =>
    form.set(
      name,
      rows.map((r, j) => (j === i ? row : r)),
    );
  return {
    rows,
    key: (i: number) => rowKeys[i],
    put,
    change: (i: number, patch: Partial<Row>) => put(i, { ...rows[i]!, ...patch }),
    add: (row: Row) => {
      form.set(name, [...rows, row]);
      setRowKeys([...rowKeys, nextKey()]);
    },
    remove: (i: number) => {
      form.set(
        name,
        rows.filter((_, j) => j !== i),
      );
      setRowKeys(rowKeys.filter((_, j) => j !== i));
    },
    /** Swaps a row with its neighbour; the field `numbered` stays in place, so the numbers keep their order. */
    move: (i: number, by: -1 | 1, numbered: keyof Row) => {
      const j = i + by;
      if (j < 0 || j >= rows.length) return;
      const next = [...rows];
      const [a, b] = [next[i]!, next[j]!];
      next[i] = { ...b, [numbered]: a[numbered] };
      next[j] = { ...a, [numbered]: b[numbered] };
      form.set(name, next);
      const k = [...rowKeys];
      [k[i], k[j]] = [k[j]!, k[i]!];
      setRowKeys(k);
    },
    error: (i: number, field: string) => form.errors[`${name}.${i}.${field}`],
  };
}

/** The number of a new line or operation: the next ten above the highest, leaving room to insert between. */
export const nextNumber = (numbers: number[]) => Math.floor(Math.max(0, ...numbers.map((n) => n || 0)) / 10) * 10 + 10;
