// Before tests: node_modules' better-sqlite3 must be built for Node. Packaging an installer rebuilds
// it for Electron in place; when that happened, rebuild it for Node again.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (e) {
  if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|was compiled against/.test(String(e?.message ?? e))) throw e;
  console.log('better-sqlite3 was built for another runtime (Electron); rebuilding it for Node…');
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' });
}
