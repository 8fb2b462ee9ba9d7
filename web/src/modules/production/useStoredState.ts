import { useEffect, useState } from 'react';

/**
 * State kept in the device's localStorage under a key: what an operator typed survives a reload,
 * a dropped connection or a closed tab, and comes back when the screen opens again.
 */
export function useStoredState<T>(key: string, initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = localStorage.getItem(key);
      return stored === null ? initial : (JSON.parse(stored) as T);
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // A full or disabled storage only loses the convenience, never a posted record.
    }
  }, [key, value]);
  return [value, setValue];
}

export function forgetStoredState(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing to forget
  }
}
