import type { SqlStatement } from './types.js';

/**
 * Tagged template for parameterised SQL: interpolated values become $1, $2, …, never text.
 *   sql`select * from lots where id = ${id}`
 * Nest statements with `sql` too; splice trusted identifiers with `raw`.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlStatement {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Raw) {
      text += value.text;
    } else if (isStatement(value)) {
      text += value.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + params.length}`);
      params.push(...value.values);
    } else {
      params.push(value);
      text += `$${params.length}`;
    }
    text += strings[i + 1] ?? '';
  });
  return { text, values: params };
}

class Raw {
  constructor(readonly text: string) {}
}

/** Splices trusted text (identifiers from code, never from input) into a statement. */
export function raw(text: string): Raw {
  return new Raw(text);
}

function isStatement(value: unknown): value is SqlStatement {
  return typeof value === 'object' && value !== null && 'text' in value && 'values' in value;
}

export function toStatement(text: string | SqlStatement, params?: unknown[]): SqlStatement {
  return typeof text === 'string' ? { text, values: params ?? [] } : text;
}
