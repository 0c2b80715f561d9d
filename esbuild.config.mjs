// One esbuild config for every bundle: the CLI, the engine child process, the worker, the
// benchmark, the extension host's bundle, and the results panel's browser bundle.
import * as esbuild from 'esbuild';

const quiet = process.argv.includes('--quiet');
// Packaging (npm run package) minifies what goes into the .vsix: smaller, and faster to load.
const minify = process.argv.includes('--minify');
const watch = process.argv.includes('--watch');

const nodeBundles = {
  entryPoints: {
    cli: 'src/cli/main.ts',
    engine: 'src/engine/childMain.ts',
    worker: 'src/engine/worker.ts',
    // Loaded by the extension on first use (src/extension/engineSupport.ts).
    editorSupport: 'src/engine/editorSupport.ts',
    // The thread that owns a PyTorch worker process (src/engine/torch/bridge.ts starts it).
    torchLink: 'src/engine/torch/link.ts',
    bench: 'bench/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  // jsonc-parser's UMD main cannot be bundled; its ESM build can.
  mainFields: ['module', 'main'],
  format: 'cjs',
  target: 'node20',
  minify,
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
};

// The extension host loads this bundle; `vscode` is provided by the host.
const extensionBundle = {
  ...nodeBundles,
  entryPoints: { extension: 'src/extension/extension.ts' },
  external: ['vscode'],
};

// The results panel runs in a browser sandbox (the webview): one IIFE, no Node.
const webviewBundle = {
  entryPoints: { panel: 'webview/main.ts' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
};

// The 3-D view (three.js, about 600 KB) in its own script, loaded the first time a plane is
// shown in 3-D (webview/landscape/loadSurface.ts): the panel opens without it.
const surfaceBundle = {
  ...webviewBundle,
  entryPoints: { surface: 'webview/landscape/surfaceEntry.ts' },
  globalName: 'LossLabSurface',
};

// The extension-host test suite (run inside VS Code by test/extension/host/runInCodeServer.mjs).
const extensionTests = {
  ...nodeBundles,
  entryPoints: {
    index: 'test/extension/host/index.ts',
    suite: 'test/extension/host/suite.test.ts',
  },
  outdir: 'out/test/extension',
  external: ['vscode', 'mocha'],
};

if (watch) {
  for (const options of [nodeBundles, extensionBundle, webviewBundle, surfaceBundle])
    await (await esbuild.context(options)).watch();
} else {
  await Promise.all([
    esbuild.build(nodeBundles),
    esbuild.build(extensionBundle),
    esbuild.build(webviewBundle),
    esbuild.build(surfaceBundle),
    esbuild.build(extensionTests),
  ]);
}
