import type { CofferBridge } from '../../main/api/client-types';

declare global {
  interface Window {
    /** Exposed by the preload in Electron (and by the test bridge in end-to-end tests). */
    coffer: CofferBridge;
  }
}

export {};
