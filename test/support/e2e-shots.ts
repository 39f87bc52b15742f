// Screenshots of every screen for people to judge, in test/.artifacts/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const SHOTS_DIR = path.resolve(import.meta.dirname, '../.artifacts/screenshots');
export const DOCS_SHOTS_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');

export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  // Let antd's motion settle (tabs, modals, messages) so the picture shows the resting screen.
  await page.waitForTimeout(400);
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Copies a screenshot into docs/screenshots/ (the README's pictures) — only when asked with
 * PUBLISH_SCREENSHOTS=1, so that running the tests never changes tracked files.
 */
export function publish(file: string, name: string): void {
  if (process.env.PUBLISH_SCREENSHOTS !== '1') return;
  fs.mkdirSync(DOCS_SHOTS_DIR, { recursive: true });
  fs.copyFileSync(file, path.join(DOCS_SHOTS_DIR, name));
}
