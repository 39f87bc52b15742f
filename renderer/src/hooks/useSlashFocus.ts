// "/" focuses the search or filter box of the table on screen: each screen registers its box; the
// most recently mounted visible one wins.
import { useEffect, type RefObject } from 'react';
import { typing } from './useQueueKeys';

interface Focusable {
  focus(): void;
}
const boxes: RefObject<Focusable | null>[] = [];

export function useSlashFocus(ref: RefObject<Focusable | null>): void {
  useEffect(() => {
    boxes.push(ref);
    return () => {
      const i = boxes.lastIndexOf(ref);
      if (i >= 0) boxes.splice(i, 1);
    };
  }, [ref]);
}

export function installSlashFocus(): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const ref = boxes[boxes.length - 1];
    if (!ref?.current) return;
    e.preventDefault();
    ref.current.focus();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
