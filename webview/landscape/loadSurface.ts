// Loads the 3-D view's bundle (three.js) on first use, with the panel's own script nonce, so
// the Content-Security-Policy stays as strict as it is: the panel opens without 600 KB it
// may never need.
import type { SurfaceView } from './surface3d';

export interface SurfaceModule {
  SurfaceView: typeof SurfaceView;
}

declare global {
  interface Window {
    LossLabSurface?: SurfaceModule;
  }
}

let loading: Promise<SurfaceModule> | null = null;

/** The module once loaded (synchronously), or null. */
export function loadedSurface(): SurfaceModule | null {
  return window.LossLabSurface ?? null;
}

export function loadSurface(): Promise<SurfaceModule> {
  const loaded = loadedSurface();
  if (loaded) return Promise.resolve(loaded);
  loading ??= new Promise<SurfaceModule>((resolve, reject) => {
    // The panel's script: its nonce is the policy's, and surface.js sits beside it.
    const panel = document.querySelector<HTMLScriptElement>('script[src*="panel.js"]');
    if (!panel) {
      reject(new Error('the panel script is not found'));
      return;
    }
    const script = document.createElement('script');
    script.nonce = panel.nonce;
    script.src = panel.src.replace(/panel\.js(?=$|\?)/, 'surface.js');
    script.onload = () =>
      window.LossLabSurface
        ? resolve(window.LossLabSurface)
        : reject(new Error('surface.js did not define the 3-D view'));
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
