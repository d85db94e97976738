// The esbuild step every bundled package's build runs after tsc: the
// compiled dist/ files (ES modules) become one CommonJS file per package, so
// a command reads a handful of files instead of dozens, and the `retort`
// command can compile them with a V8 code cache (apps/cli/src/code-cache.ts),
// which Node 20 offers to scripts but not to ES modules. Packages stay
// external (one instance of @retort/core's classes for the CLI, the drivers
// and the migrations, which import it as an ES module: Node hands them the
// same CommonJS exports). Types stay in dist/ (tsc's .d.ts files). Each
// package's scripts/bundle.mjs says what it bundles and why.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";

/**
 * The first line of every bundle the CLI may compile with a code cache.
 * Files without it (the entry shims, dynamic-import.cjs, anything else)
 * load as Node loads them.
 */
export const CODE_CACHE_MARKER = "/* retort:code-cache */";

/**
 * `import(specifier)` in a file of its own, which Node compiles as usual: a
 * dynamic `import()` inside a script compiled with `vm.Script` has no loader
 * to go to (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the bundles call
 * this instead (src/runtime/dynamic-import.ts is its source for tsc and the
 * unit tests). A bare specifier resolves from the bundle's folder, as it
 * did from the bundle.
 */
const DYNAMIC_IMPORT_CJS = `"use strict";
// import() for Retort's bundles, outside them: see scripts/bundle-dist.mjs.
exports.dynamicImport = (specifier) => import(specifier);
`;

/** A dynamic `import(` left in a bundle; `import(${` is text a bundle writes for esbuild (batch entries). */
const DYNAMIC_IMPORT = /(^|[^.\w$`])import\((?!\$\{)/m;

/**
 * @param {string} scriptUrl the calling script's `import.meta.url` (in <package>/scripts/)
 * @param {{ entryPoints: Record<string, string>, outdir: string, clean: string[], bundleName?: string }} options
 *   entry points (name → compiled file) and the output folder, relative to the package's dist/;
 *   `clean` lists what earlier builds left there to remove first (files or folders). One entry
 *   point becomes `<name>.cjs`. Several become one `<bundleName>.cjs` holding them all, each
 *   module evaluated when an entry first needs it, and one small `<name>.cjs` per entry that
 *   hands on its exports: a class is one object whichever entry it is reached through (esbuild
 *   splits code into shared chunks for ES modules only).
 */
export async function bundleDist(scriptUrl, { entryPoints, outdir, clean, bundleName }) {
  const dist = path.join(path.dirname(fileURLToPath(scriptUrl)), "..", "dist");
  const out = path.join(dist, outdir);
  for (const stale of clean) fs.rmSync(path.join(dist, stale), { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const names = Object.keys(entryPoints);
  const single = names.length === 1;
  const target = path.join(out, `${single ? names[0] : bundleName}.cjs`);
  await build({
    ...(single
      ? { entryPoints: [path.join(dist, entryPoints[names[0]])] }
      : {
          // Each getter requires its entry's ES module, which esbuild turns into a lazy
          // initialisation: `retort heads` runs the graph's module code, not autogenerate's.
          stdin: {
            contents: `module.exports = {\n${names
              .map((name) => `  get ${name}() { return require(${JSON.stringify(`./${entryPoints[name]}`)}); },`)
              .join("\n")}\n};\n`,
            resolveDir: dist,
            sourcefile: `${bundleName}-entries.cjs`,
            loader: "js",
          },
        }),
    outfile: target,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    packages: "external",
    banner: { js: `${CODE_CACHE_MARKER}\nvar __retortModuleUrl = require("node:url").pathToFileURL(__filename).href;` },
    define: { "import.meta.url": "__retortModuleUrl" },
    plugins: [dynamicImportOutside(dist)],
    // The map sits beside each bundle without a `sourceMappingURL` comment
    // in it. With Node's source maps on (`--enable-source-maps`; Retort
    // itself leaves them off), Node reads and parses the map of every
    // module that names one as it loads: a driver package loaded after the
    // config cost 10 ms of parsing per command, for frames of Retort's own
    // code that no message shows. A maintainer maps such a frame with the
    // `.map` file next to the bundle (the mappings only, not the sources).
    sourcemap: "external",
    sourcesContent: false,
    logLevel: "warning",
  });
  const text = await asciiOnly(target);
  const left = DYNAMIC_IMPORT.exec(text);
  if (left) {
    const line = text.slice(0, left.index).split("\n").length;
    throw new Error(
      `${target}:${line}: a dynamic import() in a bundle fails under the CLI's code cache; in core call dynamicImport() (src/runtime/dynamic-import.ts), elsewhere require() through createRequire(import.meta.url)`,
    );
  }
  if (fs.existsSync(path.join(dist, "runtime", "dynamic-import.js"))) {
    fs.writeFileSync(path.join(out, "dynamic-import.cjs"), DYNAMIC_IMPORT_CJS);
  }
  if (!single) writeEntryShims(out, bundleName, names);
}

/** A character beyond ASCII (one UTF-16 unit). */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Makes the bundle at `target` ASCII only, and returns its text. V8 keeps a
 * script whose source holds a single character beyond ASCII at two bytes a
 * character: the bundle's text, and the copy V8 compiles, take twice the
 * memory at every start (about 270 page faults for @retort/core). esbuild
 * escapes such characters in strings, but not in the comments it keeps (a
 * class member's doc comment, with its `…` or `§`), a tagged template's raw
 * text or a regular expression. In a comment, a `\uXXXX` escape is plain
 * text, so those are rewritten. The others would change meaning (a raw
 * string) and fail the build instead: the bundle without its comments
 * (esbuild's whitespace minifier, which drops them) must hold none.
 */
async function asciiOnly(target) {
  const text = fs.readFileSync(target, "utf8");
  if (!NON_ASCII.test(text)) return text;
  const { code } = await transform(text, {
    loader: "js",
    minifyWhitespace: true,
    charset: "ascii",
    legalComments: "none",
    logLevel: "silent",
  });
  const left = NON_ASCII.exec(code);
  if (left) {
    const at = left.index;
    throw new Error(
      `${target}: ${JSON.stringify(left[0])} in code (${JSON.stringify(code.slice(Math.max(0, at - 40), at + 20))}); V8 would keep the whole bundle at two bytes a character: write it as an escape (\\u${left[0].charCodeAt(0).toString(16).padStart(4, "0")}) in the source`,
    );
  }
  const ascii = text.replace(
    new RegExp(NON_ASCII, "g"),
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  fs.writeFileSync(target, ascii);
  return ascii;
}

/**
 * One `<entry>.cjs` per entry point: its exports, taken from the bundle,
 * with the names spelled out in the form Node's CommonJS lexer reads, so
 * that `import { heads } from "@retort/core/commands"` in an ES module gets
 * named exports without Node parsing the whole bundle for them.
 */
function writeEntryShims(out, bundleName, names) {
  const bundle = createRequire(path.join(out, "package.json"))(`./${bundleName}.cjs`);
  for (const name of names) {
    const exported = Object.keys(bundle[name]).filter((key) => key !== "__esModule");
    const identifiers = exported.filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
    if (identifiers.length !== exported.length || exported.includes("default")) {
      throw new Error(`${name}: every export needs a plain name (no default export) for Node's lexer`);
    }
    fs.writeFileSync(
      path.join(out, `${name}.cjs`),
      `"use strict";\nmodule.exports = require("./${bundleName}.cjs").${name};\n` +
        `// The names, for Node's CommonJS lexer (never run).\n0 && (module.exports = { ${identifiers.join(", ")} });\n`,
    );
  }
}

/** Imports of src/runtime/dynamic-import.ts stay outside the bundle, as `./dynamic-import.cjs`. */
function dynamicImportOutside(dist) {
  const helper = path.join(dist, "runtime", "dynamic-import.js");
  return {
    name: "dynamic-import-outside",
    setup(build) {
      build.onResolve({ filter: /dynamic-import\.js$/ }, (args) =>
        path.resolve(args.resolveDir, args.path) === helper
          ? { path: "./dynamic-import.cjs", external: true }
          : undefined,
      );
    },
  };
}
