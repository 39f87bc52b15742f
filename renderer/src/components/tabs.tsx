// A tab of a screen's Tabs, written once: its label carries the test id `tab-<key>`; a lazy tab's content
// (a screen loaded on first use) waits in a Suspense showing nothing.
import { Suspense, type ReactNode } from 'react';

export function tab(key: string, label: string, content: ReactNode) {
  return { key, label: <span data-testid={`tab-${key}`}>{label}</span>, children: content };
}

export function lazyTab(key: string, label: string, content: ReactNode) {
  return tab(key, label, <Suspense fallback={null}>{content}</Suspense>);
}
