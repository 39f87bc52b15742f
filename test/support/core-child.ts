// A core process as a plain Node child (core/host.ts over child-process IPC): what Electron's utility
// process runs, without Electron, for the tests of the link.
import { childChannel } from '../../main/core/channels';
import { serveCore } from '../../main/core/host';

serveCore(childChannel(), { onClosed: () => process.exit(0) });
