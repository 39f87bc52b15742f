import { useEffect, useState } from 'react';

const newRequestId = () => `ui-${crypto.randomUUID()}`;

/**
 * The request id of one opening of a form: a second press, or a call sent again after a lost answer,
 * carries the same id, so the books record it once; the next opening makes a new one.
 */
export function useRequestId(open: boolean): string {
  const [id, setId] = useState(newRequestId);
  useEffect(() => {
    if (open) setId(newRequestId());
  }, [open]);
  return id;
}
