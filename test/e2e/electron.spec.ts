// The real Electron shell: launches out/main/index.js with a temporary books file and checks that the
// preload exposes exactly the API, that the console opens on set-up through the core's utility process
// (out/main/core.js), and that a verify runs on its worker thread while a read is answered. Runs only where the Electron
// binary is present (it cannot be downloaded on the build machines); never `require('electron')`
// here, since that triggers the download.
import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { METHOD_NAMES } from '../../main/api/method-names';
import { tempDir } from '../support/temp-books';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ELECTRON_PKG = path.join(ROOT, 'node_modules/electron');

function electronBinary(): { path: string } | { missing: string } {
  const pathTxt = path.join(ELECTRON_PKG, 'path.txt');
  if (!fs.existsSync(pathTxt))
    return { missing: 'node_modules/electron/path.txt is absent: the Electron binary was never downloaded (no internet here)' };
  const bin = path.join(ELECTRON_PKG, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  if (!fs.existsSync(bin)) return { missing: `the Electron binary ${bin} is absent` };
  return { path: bin };
}

test('Electron: the shell opens the console over the preload bridge', async () => {
  const bin = electronBinary();
  test.skip(
    'missing' in bin,
    'missing' in bin ? `${bin.missing}; run \`node scripts/electron-native.mjs\` on a machine with internet` : '',
  );
  if ('missing' in bin) return;
  const mainJs = path.join(ROOT, 'out/main/index.js');
  test.skip(!fs.existsSync(mainJs), 'out/main/index.js is absent: run `npx electron-vite build` first');
  test.skip(
    !fs.existsSync(path.join(ROOT, '.electron-native/better-sqlite3')),
    'better-sqlite3 has no Electron build in .electron-native/: run `node scripts/electron-native.mjs`',
  );

  const dir = tempDir('coffer-electron-');
  const app = await electron.launch({
    executablePath: bin.path,
    args: [mainJs, `--books=${path.join(dir, 'electron.books.sqlite')}`, '--no-sandbox'],
    cwd: ROOT,
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('setup-screen')).toBeVisible({ timeout: 20_000 });
    const names = await win.evaluate(() => Object.keys(window.coffer.api).sort());
    expect(names).toEqual([...METHOD_NAMES].sort());
    // Nothing generic reaches the page.
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    await win.getByTestId('setup-username').fill('admin');
    await win.getByTestId('setup-displayName').fill('管理员');
    await win.getByTestId('setup-password').fill('electron-pass-1');
    await win.getByTestId('setup-confirm').fill('electron-pass-1');
    await win.getByTestId('setup-submit').click();
    await expect(win.getByTestId('accounts-table')).toBeVisible();
    // A verify runs on the scan worker beside out/main/index.js (api/scans.ts); a read answers meanwhile.
    const verified = await win.evaluate(
      () =>
        new Promise<{ ok: boolean; readOk: boolean }>((resolve) => {
          let read: Promise<boolean> | null = null;
          const off = window.coffer.onEvent((e) => {
            if (e.type === 'job.progress') read ??= window.coffer.api['ledger.accounts']({}).then((r) => r.ok);
            if (e.type === 'job.done' || e.type === 'job.failed') {
              off();
              const ok = e.type === 'job.done' && (e.result as { ok: boolean }).ok;
              void (read ?? Promise.resolve(false)).then((readOk) => resolve({ ok, readOk }));
            }
          });
          void window.coffer.api['books.verify']({});
        }),
    );
    expect(verified).toEqual({ ok: true, readOk: true });
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
