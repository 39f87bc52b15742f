// The core process: Electron's utility process runs this file (out/main/core.js), forked by the shell.
// It keeps the books and the dispatcher off the window's process, so a long job never stalls the window.
// Forked by Node with an IPC channel it serves the same link (how the built file is tried without Electron).
import { childChannel, utilityParentChannel } from './channels';
import { serveCore } from './host';

const link = utilityParentChannel() ?? (process.send ? childChannel() : null);
if (!link) throw new Error('the core runs in the utility process the Coffer shell starts');
serveCore(link, { scanWorker: new URL('./scan-worker.js', import.meta.url), onClosed: () => process.exit(0) });
