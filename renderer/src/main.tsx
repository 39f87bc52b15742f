import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './app/Root';
import { servedByCofferServe, webBridge } from './api/web';
import './styles.css';

// Served by `coffer serve`: the console talks to the books over HTTP instead of the desktop's preload.
if (!window.coffer && servedByCofferServe()) window.coffer = webBridge();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
