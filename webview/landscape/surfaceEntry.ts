// The entry of the 3-D view's own bundle (dist/webview/surface.js): it sets the global
// LossLabSurface, which loadSurface.ts waits for.
export { SurfaceView } from './surface3d';
