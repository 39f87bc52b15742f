// `npm start` on a machine that cannot start the console yet (no Electron binary, Node 20): one sentence
// that says why and what still works, not an installer's stack trace (it ended in `TypeError: fetch failed`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(__dirname, '../..');
const binaryFetched = fs.existsSync(path.join(root, 'node_modules/electron/path.txt'));
const node = Number(process.versions.node.split('.')[0]);

test.skipIf(binaryFetched || node >= 22)('npm start on Node 20 without Electron says in one sentence what it needs', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/electron-native.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
  });
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^Starting the console needs Node 22\.12 or newer .* this is Node 20\.\d+\.\d+, on which `npm test` and the CLI work\.$/,
  );
  expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
});
