import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SlipwayError } from '../../errors';

/**
 * The serve entry as one JavaScript file. An installed Slipway ships it prebuilt beside its own bundle
 * (`dist/serve.js`); from the source tree it is bundled on the spot with esbuild. Natives stay external.
 */
export async function serveBundle(): Promise<string> {
  const prebuilt = join(__dirname, 'serve.js');
  if (__filename.endsWith('.js') && existsSync(prebuilt)) return readFileSync(prebuilt, 'utf8');
  const entry = join(__dirname, '..', 'main.ts');
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new SlipwayError('INTERNAL_ERROR', `Cannot find the prebuilt serve.js beside ${__filename}, nor esbuild to build it. Reinstall Slipway.`, { cause: error });
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['onnxruntime-node', 'better-sqlite3'],
    write: false,
    logLevel: 'silent',
    banner: { js: '// Slipway serve entry (bundled). Start: node serve.js --help' },
  });
  return result.outputFiles[0]!.text;
}

/**
 * Native packages the serve entry loads at run time, with only the files needed on `platform`/`arch`. The context
 * then runs with plain `node`, no `npm install` at build time, on the image's platform (the build host's by default).
 */
const RUNTIME_PACKAGES: { name: string; files: (platform: string, arch: string) => string[] }[] = [
  { name: 'onnxruntime-node', files: (p, a) => ['package.json', 'dist', `bin/napi-v6/${p}/${a}`, 'LICENSE'] },
  { name: 'onnxruntime-common', files: () => ['package.json', 'dist/cjs', 'LICENSE'] },
  { name: 'better-sqlite3', files: () => ['package.json', 'lib', 'build/Release/better_sqlite3.node', 'LICENSE'] },
  { name: 'bindings', files: () => ['package.json', 'bindings.js', 'LICENSE.md'] },
  { name: 'file-uri-to-path', files: () => ['package.json', 'dist', 'index.js', 'LICENSE'] },
];

/** Copies the runtime packages into `<out>/node_modules`. */
export function copyRuntimePackages(out: string, platform = process.platform, arch = process.arch): string[] {
  const copied: string[] = [];
  for (const pkg of RUNTIME_PACKAGES) {
    let root: string;
    try {
      root = dirname(require.resolve(`${pkg.name}/package.json`));
    } catch {
      root = dirname(require.resolve(join(dirname(require.resolve('better-sqlite3/package.json')), '..', pkg.name, 'package.json')));
    }
    for (const file of pkg.files(platform, arch)) {
      const from = join(root, file);
      if (!existsSync(from)) {
        if (file.startsWith('bin/')) throw new SlipwayError('INVALID_STATE', `onnxruntime-node has no binaries for ${platform}/${arch} in ${root}.`);
        continue;
      }
      const to = join(out, 'node_modules', pkg.name, file);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
    copied.push(pkg.name);
  }
  writeFileSync(join(out, 'node_modules', '.slipway-runtime'), `${platform}/${arch} node ${process.versions.node} (modules ABI ${process.versions.modules})\n`);
  return copied;
}
