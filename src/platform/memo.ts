/**
 * Look-ups made once per key for the life of the returned function — one response — so a list
 * that names the same item on fifty rows reads it once.
 */
export function onceByKey(): <T>(key: string, load: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let found = cache.get(key);
    if (!found) {
      found = load();
      cache.set(key, found);
    }
    return found as Promise<T>;
  };
}
