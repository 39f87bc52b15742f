// For `npm start` / `npm run dev` on a machine with internet: fetch the Electron binary, and build a
// copy of better-sqlite3 for Electron into .electron-native/ (git-ignored). node_modules stays built
// for Node so that `npm test` keeps working; the shell loads the Electron copy via `nativeBinding`.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronPkg = path.join(root, 'node_modules/electron');
const electronVersion = JSON.parse(fs.readFileSync(path.join(electronPkg, 'package.json'), 'utf8')).version;

function run(cmd, cwd = root) {
  console.log(`$ ${cmd}`);
  execSync(cmd, { cwd, stdio: 'inherit' });
}

// 1. The Electron binary (electron ≥ 42 has no install script: it downloads on first use).
if (!fs.existsSync(path.join(electronPkg, 'path.txt'))) {
  run(`node ${JSON.stringify(path.join(electronPkg, 'install.js'))}`);
}

// 2. better-sqlite3 for Electron, kept apart from node_modules.
const sqliteVersion = require('better-sqlite3/package.json').version;
const target = path.join(root, '.electron-native/better-sqlite3');
const stamp = path.join(target, '.built-for');
const want = `electron-${electronVersion}-better-sqlite3-${sqliteVersion}-${process.platform}-${process.arch}`;
if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== want) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    fs.cpSync(path.join(src, entry), path.join(target, entry), { recursive: true });
  }
  const prebuild = path.join(path.dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
  try {
    run(`node ${JSON.stringify(prebuild)} --runtime electron --target ${electronVersion} --arch ${process.arch}`, target);
  } catch {
    console.log('No prebuilt binary for this Electron; compiling against Electron headers…');
    const gyp = path.join(path.dirname(require.resolve('node-gyp/package.json')), 'bin/node-gyp.js');
    run(
      `node ${JSON.stringify(gyp)} rebuild --release --target=${electronVersion} --arch=${process.arch} --dist-url=https://electronjs.org/headers`,
      target,
    );
  }
  fs.writeFileSync(stamp, want);
}
console.log(`Electron ${electronVersion} and its better-sqlite3 build are ready.`);
