import { useEffect, useRef, type Dispatch, type SetStateAction } from 'react';

/** True when the key goes to a text box, so a shortcut must leave it alone. */
export function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

export interface QueueKeys<Row> {
  rows: readonly Row[];
  cursor: number;
  setCursor: Dispatch<SetStateAction<number>>;
  setHelp: Dispatch<SetStateAction<boolean>>;
  /** A dialog or a running action of the screen's own has the keys. */
  blocked: boolean;
  /** The screen's own keys, given the row under the cursor; false when the key is not one of them. */
  onKey: (key: string, at: Row | undefined) => boolean;
  /** The table whose cursor row is scrolled into view as it moves. */
  tableTestId?: string;
}

/**
 * A queue's keyboard: j/k (or the arrows) move the cursor row and ? shows the keys; the screen's own
 * keys get the row under the cursor. Only while no modifier, text box or dialog has the keys.
 */
export function useQueueKeys<Row>(keys: QueueKeys<Row>): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = latest.current;
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || k.blocked) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      const n = k.rows.length;
      if (e.key === 'j' || e.key === 'ArrowDown') k.setCursor((c) => Math.min(c + 1, Math.max(0, n - 1)));
      else if (e.key === 'k' || e.key === 'ArrowUp') k.setCursor((c) => Math.max(c - 1, 0));
      else if (e.key === '?') k.setHelp((h) => !h);
      else if (!k.onKey(e.key, k.rows[k.cursor])) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const { cursor, tableTestId } = keys;
  useEffect(() => {
    if (tableTestId) document.querySelector(`[data-testid="${tableTestId}"] .queue-cursor`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, tableTestId]);
}
