// Where inside its area the console is, from the location hash ("#/customers/c/12" → ["c", "12"]),
// and a way to go elsewhere inside the area. Back/forward work because the hash changes.
import { useCallback, useEffect, useState } from 'react';
import { areaFromHash, subPathFromHash } from '../app/areas';

export function useHashPath(): [string[], (...parts: (string | number)[]) => void] {
  const [path, setPath] = useState(() => subPathFromHash(location.hash));
  useEffect(() => {
    const onHash = () => setPath(subPathFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((...parts: (string | number)[]) => {
    location.hash = `#/${[areaFromHash(location.hash), ...parts].join('/')}`;
  }, []);
  return [path, go];
}
