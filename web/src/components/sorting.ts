/**
 * The order of a list as the API takes it: `field` ascending, `-field` descending (the `sort`
 * parameter), and what a click on a column's header makes of it.
 */

export type SortDirection = 'ascending' | 'descending';

/** How `sort` orders the column `key`, if it orders by that column at all. */
export function sortDirection(sort: string | undefined, key: string): SortDirection | undefined {
  if (sort === key) return 'ascending';
  if (sort === `-${key}`) return 'descending';
  return undefined;
}

/**
 * The order after a click on column `key`: another column's order becomes this column's
 * ascending, ascending becomes descending, and descending goes back to the list's own order,
 * or to ascending when the list's own order is this column (so every click changes the order).
 */
export function nextSort(sort: string | undefined, key: string, defaultSort: string | undefined): string | undefined {
  const direction = sortDirection(sort, key);
  if (direction === undefined) return key;
  if (direction === 'ascending') return `-${key}`;
  return sortDirection(defaultSort, key) === undefined ? defaultSort : key;
}
