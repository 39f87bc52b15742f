// Locks the console after some minutes without keyboard or mouse use (before the main process
// ends the session for idleness).
import { useEffect, useRef } from 'react';

export const CLIENT_LOCK_MINUTES = 5;

export function useIdleLock(minutes: number, onIdle: () => void): void {
  const last = useRef(Date.now());
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    const events = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;
    for (const ev of events) window.addEventListener(ev, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current > minutes * 60_000) {
        last.current = Date.now();
        cb.current();
      }
    }, 15_000);
    return () => {
      for (const ev of events) window.removeEventListener(ev, touch);
      window.clearInterval(timer);
    };
  }, [minutes]);
}
