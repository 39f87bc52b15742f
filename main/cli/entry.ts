// The bundled command line's entry (scripts/build-cli.mjs → out/cli/coffer.mjs).
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
