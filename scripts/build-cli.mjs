// Builds the command line into one file, out/cli/coffer.mjs (esbuild: TypeScript bundled, packages
// left to node_modules), so that `coffer` starts without compiling anything. bin/coffer.mjs rebuilds it
// when a source is newer (a checkout being worked on); `npm run build` and the test setup build it too.
// Run directly: node scripts/build-cli.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = path.join(REPO, 'out', 'cli', 'coffer.mjs');
const SOURCES = [path.join(REPO, 'main')];

function newestSource(dir, newest = 0) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when there is no bundle, or a source it is built from changed since (sources present only in a checkout). */
export function cliBundleStale() {
  if (!fs.existsSync(CLI_BUNDLE)) return true;
  const built = fs.statSync(CLI_BUNDLE).mtimeMs;
  return SOURCES.some((d) => fs.existsSync(d) && newestSource(d) > built);
}

// Pure-JS packages whose many module files cost more to load one by one than to parse once in the bundle
// (kysely alone: about 160 ms of `coffer --help`, measured); the rest stay in node_modules (native
// bindings, pg's optional native driver, exceljs and iconv-lite's data).
const BUNDLED_PACKAGES = new Set(['kysely', 'zod', 'saxes', 'xmlchars']);

/** Leaves every package to node_modules but those above. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => {
      const name = a.path.startsWith('@') ? a.path.split('/').slice(0, 2).join('/') : a.path.split('/')[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: a.path, external: true };
    });
  },
};

export async function buildCli() {
  const { build } = await import('esbuild');
  const r = await build({
    entryPoints: [path.join(REPO, 'main', 'cli', 'entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [externalPackages],
    write: false,
    outfile: CLI_BUNDLE,
    logLevel: 'warning',
    absWorkingDir: REPO,
  });
  // Written beside and renamed: CLI processes started at once may each build, none reads half a file.
  fs.mkdirSync(path.dirname(CLI_BUNDLE), { recursive: true });
  const tmp = `${CLI_BUNDLE}.partial-${process.pid}`;
  fs.writeFileSync(tmp, r.outputFiles[0].contents);
  fs.renameSync(tmp, CLI_BUNDLE);
  return CLI_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`built ${path.relative(REPO, await buildCli())}`);
}
