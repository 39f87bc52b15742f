// A table's page that goes back to 1 whenever what it pages through (`of`: a search, a chosen row) changes.
import { useState } from 'react';

export function usePageFor(of: unknown): [number, (page: number) => void] {
  const key = JSON.stringify(of ?? null);
  const [at, setAt] = useState({ key, page: 1 });
  return [at.key === key ? at.page : 1, (page: number) => setAt({ key, page })];
}
