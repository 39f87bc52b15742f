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

/** Ends `npm start` with one sentence instead of an installer's stack trace. */
function stop(sentence) {
  console.error(sentence);
  process.exit(1);
}

const OFFLINE =
  'The first `npm start` downloads Electron and needs the internet, which this machine cannot reach; `npm test` and the CLI (`npm run coffer -- --help`) work offline.';
const NETWORK =
  /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|status code [45]\d\d/i;

/** Runs a download step quietly; a network failure becomes the OFFLINE sentence, anything else is shown whole. */
function download(cmd, cwd = root) {
  console.log(`$ ${cmd}`);
  try {
    execSync(cmd, { cwd, stdio: 'pipe' });
  } catch (e) {
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    if (NETWORK.test(output)) stop(OFFLINE);
    process.stderr.write(output);
    throw e;
  }
}

// 1. The Electron binary (electron ≥ 42 has no install script: it downloads on first use, with a
// downloader that declares Node 22.12+; the tests and the CLI need only Node 20.19+).
if (!fs.existsSync(path.join(electronPkg, 'path.txt'))) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12))
    stop(
      `Starting the console needs Node 22.12 or newer (Electron ${electronVersion}'s downloader asks for it); this is Node ${process.versions.node}, on which \`npm test\` and the CLI work.`,
    );
  download(`node ${JSON.stringify(path.join(electronPkg, 'install.js'))}`);
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
    download(`node ${JSON.stringify(prebuild)} --runtime electron --target ${electronVersion} --arch ${process.arch}`, target);
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
