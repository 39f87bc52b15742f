// The preload exposes exactly the contract's methods, each a call to main over one IPC channel, and
// a subscription to job events. Nothing generic (no raw invoke) reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, METHOD_NAMES } from '../main/api/method-names';
import type { CofferBridge, JobEvent } from '../main/api/client-types';

const api = Object.fromEntries(METHOD_NAMES.map((m) => [m, (input?: unknown) => ipcRenderer.invoke(IPC_INVOKE, m, input ?? {})]));

const bridge: CofferBridge = {
  api: api as CofferBridge['api'],
  onEvent(listener) {
    const handler = (_e: unknown, event: JobEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('coffer', bridge);
