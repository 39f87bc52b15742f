// Before the unit tests: the command line's bundle (out/cli/coffer.mjs) is built from the sources under
// test, once, so the CLI tests run what `coffer` runs and their many processes start at once.
import { buildCli } from '../../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
