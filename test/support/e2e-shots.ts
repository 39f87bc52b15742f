// Screenshots of every screen for people to judge, in test/.artifacts/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

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

/** Photographs the screen as it is (`name`) and checks that the page does not scroll sideways at its size. */
export async function shotFitting(page: Page, name: string): Promise<void> {
  await shot(page, name);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways`).toBe(false);
}

/** Photographs the screen as it is (`name`), then at 1280×720 (`name`-1280), and puts the window back at 1440×900. */
export async function shotAnd1280(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, `${name}-1280`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/**
 * Photographs the screen at 1280×720 and at 1440×900 (returning the larger picture's file), with the
 * element `show` (a CSS selector) scrolled to the top at each, and checks that nothing scrolls sideways
 * at the smaller size.
 */
export async function shotBothSizes(page: Page, name: string, show?: string): Promise<string> {
  const top = async () => show && (await page.locator(show).evaluate((el) => el.scrollIntoView({ block: 'start' })));
  await page.setViewportSize({ width: 1280, height: 720 });
  await top();
  await shot(page, `${name}-1280`);
  const overflow = await page.evaluate(() => {
    const c = document.querySelector('.ant-layout-content');
    return c ? c.scrollWidth - c.clientWidth : 0;
  });
  expect(overflow, `${name} scrolls sideways at 1280×720`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1440, height: 900 });
  await top();
  return shot(page, `${name}-1440`);
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
