import { describe, expect, it } from 'vitest';
import { nextSort, sortDirection } from './sorting.js';

/** The orders a person goes through clicking the same column header again and again. */
function clicks(key: string, defaultSort: string | undefined, times: number): Array<string | undefined> {
  const seen: Array<string | undefined> = [];
  let sort = defaultSort;
  for (let i = 0; i < times; i++) {
    sort = nextSort(sort, key, defaultSort);
    seen.push(sort);
  }
  return seen;
}

describe('sorting a list by its column headers', () => {
  it('turns a list shown newest first to oldest first on the first click of its date column', () => {
    // The lots list: newest first by default; clicking "Received" did nothing before.
    expect(clicks('createdAt', '-createdAt', 4)).toEqual(['createdAt', '-createdAt', 'createdAt', '-createdAt']);
  });

  it('toggles the column the list is sorted by ascending', () => {
    expect(clicks('login', 'login', 3)).toEqual(['-login', 'login', '-login']);
  });

  it('goes ascending, descending, then back to the list’s own order for another column', () => {
    expect(clicks('number', '-createdAt', 3)).toEqual(['number', '-number', '-createdAt']);
    expect(clicks('number', undefined, 3)).toEqual(['number', '-number', undefined]);
  });

  it('starts another column ascending, whatever the list is sorted by now', () => {
    expect(nextSort('-expiresOn', 'number', '-createdAt')).toBe('number');
    expect(sortDirection('-expiresOn', 'expiresOn')).toBe('descending');
    expect(sortDirection('-expiresOn', 'number')).toBeUndefined();
  });
});
