#!/usr/bin/env node
// coffer: the headless command line over a books file. It runs the bundled build (out/cli/coffer.mjs,
// made by `npm run build`); in a checkout whose sources are newer it rebuilds that first (about a
// second). The exit code says how it went (0 ok, 1 refused or findings, 2 usage).
import fs from 'node:fs';

const bundle = new URL('../out/cli/coffer.mjs', import.meta.url);
const builder = new URL('../scripts/build-cli.mjs', import.meta.url);
if (fs.existsSync(builder)) {
  const { cliBundleStale, buildCli } = await import(builder.href);
  if (cliBundleStale()) await buildCli();
}
await import(bundle.href);
