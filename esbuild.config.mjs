// One esbuild config for every bundle. Now: the CLI, the engine child process, the training
// worker and the benchmark. The extension and webview bundles join here later.
import * as esbuild from 'esbuild';

const quiet = process.argv.includes('--quiet');
const watch = process.argv.includes('--watch');

const nodeBundles = {
  entryPoints: {
    cli: 'src/cli/main.ts',
    engine: 'src/engine/childMain.ts',
    worker: 'src/engine/worker.ts',
    bench: 'bench/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  // jsonc-parser's UMD main cannot be bundled; its ESM build can.
  mainFields: ['module', 'main'],
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
};

if (watch) {
  const context = await esbuild.context(nodeBundles);
  await context.watch();
} else {
  await esbuild.build(nodeBundles);
}
