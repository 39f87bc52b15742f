#!/usr/bin/env node
// coffer: the headless command line over a books file. It loads the TypeScript sources through tsx
// (no build step) and runs main/cli/main.ts; the exit code says how it went (0 ok, 1 refused or
// findings, 2 usage).
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../main/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
