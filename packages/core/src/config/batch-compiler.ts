import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildFailure, Message } from "esbuild";
import { BATCH_CALLBACK, toBatchScript } from "./batch-script.js";
import { isBuiltin, loadEsbuild, packageUrls, resolveImportedPackages } from "./module-compiler.js";
import { compileStrippedBatch, NEEDS_OWN_MODULE } from "./stripped-batch.js";

/**
 * What compiling a batch gave: the module's code (its default export maps
 * each included file to its loader) and the files left out, each
 * with the reason, which then load one by one.
 */
export interface BatchOutcome {
  /** The batch script (see `toBatchScript`), whose last line names `map` by `outfile`'s name and `.map`. */
  readonly code: string | undefined;
  /** Its source map, naming each member by its absolute `file:` URL. */
  readonly map: string | undefined;
  readonly included: readonly string[];
  readonly excluded: ReadonlyMap<string, string>;
}

/** Rebuilds of one batch after leaving out files that cannot be in it; then the rest load one by one. */
const MAX_ATTEMPTS = 3;

/**
 * Compiles `files` into ONE batch script with esbuild's bundler
 * (`sources` holds the texts the cache key was made of: a file edited
 * since is not compiled into it), each file behind its own lazy
 * initialiser, so its top-level code runs when its loader is called (when
 * its step starts), not when the batch is evaluated. Evaluating the script
 * (`evaluateBatchScript`) gives a loader for each file of `included` (its
 * absolute path), which returns the file's exports.
 *
 * A run of 1,000 migrations then loads a handful of scripts instead of
 * importing 1,000 modules (Node's per-module cost is about 0.5 ms and 12 KB
 * that stays for the life of the process), and a fresh deploy writes one
 * file per batch (and its map).
 *
 * Only files that import packages and Node's built-ins go in, as for the
 * one-file compile: a package import is written as the absolute `file:` URL
 * Node's resolver finds from the file's folder (conditions `node`, `import`,
 * `default`), so the batch shares module instances with everything else.
 * A file that imports a local file, uses its own location, imports
 * dynamically, does not compile, or draws a warning is left out (with the
 * reason) and loads on its own, where its behaviour and errors are what
 * they always were. The source map beside the script names every file by
 * its absolute `file:` URL, so the errors Retort reports name the `.ts`
 * file and line (see `stackFrames`).
 *
 * With `tsconfigOf` (each file's flattened tsconfig), a batch whose files
 * can all be compiled by blanking their types is compiled that way
 * instead, without esbuild (see `compileStrippedBatch`).
 */
export async function compileBatch(
  files: readonly string[],
  sources: ReadonlyMap<string, string>,
  outfile: string,
  tsconfigOf?: (file: string) => string | undefined,
): Promise<BatchOutcome> {
  const excluded = new Map<string, string>();
  if (tsconfigOf !== undefined) {
    const stripped = await compileStrippedBatch(loadEsbuild, files, sources, outfile, tsconfigOf);
    if (stripped !== undefined) return { code: stripped.code, map: stripped.map, included: files, excluded };
  }
  const esbuild = loadEsbuild();
  if (typeof esbuild === "string") {
    for (const file of files) excluded.set(file, esbuild);
    return { code: undefined, map: undefined, included: [], excluded };
  }
  let included = files.filter((file) => {
    if (!NEEDS_OWN_MODULE.test(sources.get(file) ?? "")) return true;
    excluded.set(file, "uses its own location, CommonJS or a dynamic import");
    return false;
  });
  // Resolved beside the bundle rather than after it (the first batch of a run would wait for both).
  const resolving = resolveImportedPackages(esbuild, included, sources).catch(() => undefined);
  for (let attempt = 0; attempt < MAX_ATTEMPTS && included.length > 0; attempt++) {
    const built = await buildOnce(esbuild, included, outfile);
    await resolving;
    const refused = built.refused;
    let code = built.code;
    const imported = new Set(built.builtins);
    if (code !== undefined) {
      // Also when some members are refused already: the next attempt then leaves out all of them.
      const rewritten = await rewritePackageImports(esbuild, code, built.packages);
      for (const [file, reason] of rewritten.refused) refused.set(file, reason);
      for (const url of rewritten.urls) imported.add(url);
      code = rewritten.code;
    }
    if (refused.size === 0) {
      if (code === undefined || built.map === undefined) break;
      const map = finishMap(built.map, outfile, included, sources);
      if (map === undefined) break;
      const script = toBatchScript(code, `${path.basename(outfile, path.extname(outfile))}.map`, imported);
      if (script === undefined) break;
      return { code: script, map, included, excluded };
    }
    for (const [file, reason] of refused) excluded.set(file, reason);
    included = included.filter((file) => !refused.has(file));
  }
  for (const file of included) excluded.set(file, "could not be compiled with the others of its batch");
  return { code: undefined, map: undefined, included: [], excluded };
}

interface BuildResult {
  readonly code: string | undefined;
  readonly map: string | undefined;
  /** Members that cannot be in the batch, with the reason. */
  readonly refused: Map<string, string>;
  /** Per member, the package specifiers it imports. */
  readonly packages: Map<string, Set<string>>;
  /** The built-in modules the members import (`node:path`, `fs`…). */
  readonly builtins: Set<string>;
}

/**
 * One esbuild build of the batch. No plugin: a plugin's callbacks run on
 * Node's main thread, which is busy running the previous batch's
 * migrations, and esbuild would wait for it. esbuild reads the files and
 * their tsconfig itself, leaves every package import as it is (rewritten
 * afterwards) and reports in its metafile what each member imports.
 */
async function buildOnce(
  esbuild: typeof import("esbuild"),
  members: readonly string[],
  outfile: string,
): Promise<BuildResult> {
  const refused = new Map<string, string>();
  const packages = new Map<string, Set<string>>();
  const builtins = new Set<string>();
  const memberSet = new Set(members);
  const entry = members.map((file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(file)}),`);
  let result: import("esbuild").BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      stdin: {
        contents: `${BATCH_CALLBACK}({\n${entry.join("\n")}\n});\n`,
        resolveDir: path.dirname(outfile),
        sourcefile: ENTRY,
        loader: "js",
      },
      bundle: true,
      packages: "external",
      // Members are named by the paths the run imports them by, symlinks and all.
      preserveSymlinks: true,
      write: false,
      metafile: true,
      outfile,
      format: "esm",
      platform: "node",
      target: "node20",
      // Beside the code, not in it: the text Node keeps while the batch's
      // code lives is then a third of the size (see `toBatchScript`).
      sourcemap: "external",
      // The texts esbuild compiled, for `finishMap` to compare with the
      // texts of the cache key; taken out of the map it writes.
      sourcesContent: true,
      // Names stay what each file says (esbuild renames a second file's
      // `upgrade` to `upgrade2` in the shared scope): stack traces and
      // `fn.name` are the same as for a module of its own.
      keepNames: true,
      logLevel: "silent",
    });
  } catch (error) {
    refuseByLocation((error as Partial<BuildFailure>).errors ?? [], memberSet, refused);
    // An error esbuild did not place in a member: the batch cannot be built.
    if (refused.size === 0) for (const file of members) refused.set(file, "could not be compiled in a batch");
    return { code: undefined, map: undefined, refused, packages, builtins };
  }
  refuseByLocation(result.warnings, memberSet, refused);
  for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
    const member = memberOf(input, memberSet);
    if (member === undefined) continue;
    const specifiers = new Set<string>();
    for (const imported of imports) {
      // esbuild's own helpers (`__name` for keepNames).
      if (imported.path === "<runtime>") continue;
      const specifier = imported.original ?? imported.path;
      if (imported.external) {
        if (isBuiltin(specifier)) builtins.add(specifier);
        else specifiers.add(specifier);
      } else {
        // A local file (or another member): the batch would hold a copy of it.
        refused.set(member, `imports ${specifier}`);
      }
    }
    packages.set(member, specifiers);
  }
  for (const member of members) {
    if (!packages.has(member)) refused.set(member, "missing from the batch's build");
  }
  const code = result.outputFiles.find((output) => !output.path.endsWith(".map"))?.text;
  const map = result.outputFiles.find((output) => output.path.endsWith(".map"))?.text;
  return { code, map, refused, packages, builtins };
}

const ENTRY = "retort-batch.js";

function refuseByLocation(
  messages: readonly Message[],
  members: ReadonlySet<string>,
  refused: Map<string, string>,
): void {
  for (const message of messages) {
    const file = message.location?.file;
    const member = file === undefined ? undefined : memberOf(file, members);
    if (member !== undefined) refused.set(member, message.text);
  }
}

/**
 * Writes each package import of the batch's code as the `file:` URL Node's
 * resolver finds from its member's folder. esbuild prints a bundle's
 * external imports one per line at the start of a line
 * (`import { column } from "@retort/core";`), so only such lines naming a
 * specifier the metafile reported are touched. A specifier that does not
 * resolve, or that resolves to different files from two members' folders
 * (one line serves both), refuses the members importing it.
 */
async function rewritePackageImports(
  esbuild: typeof import("esbuild"),
  code: string,
  packages: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<{ code: string; refused: Map<string, string>; urls: Set<string> }> {
  const refused = new Map<string, string>();
  const byFolder = new Map<string, Set<string>>();
  for (const [member, specifiers] of packages) {
    const folder = path.dirname(member);
    const wanted = byFolder.get(folder) ?? new Set<string>();
    for (const specifier of specifiers) wanted.add(specifier);
    byFolder.set(folder, wanted);
  }
  const urls = await packageUrls(esbuild, new Map([...byFolder].map(([folder, wanted]) => [folder, new Set(wanted)])));
  const urlOf = new Map<string, string>();
  for (const [member, specifiers] of packages) {
    for (const specifier of specifiers) {
      const url = urls.get(`${path.dirname(member)}\0${specifier}`);
      const other = urlOf.get(specifier);
      if (url === undefined) refused.set(member, `imports ${specifier}`);
      else if (other !== undefined && other !== url) refused.set(member, `imports ${specifier} from another folder`);
      else urlOf.set(specifier, url);
    }
  }
  const found = new Set(urlOf.values());
  if (refused.size > 0) return { code, refused, urls: found };
  const rewritten = code.replace(EXTERNAL_IMPORT, (line, before: string, specifier: string, after: string) => {
    const url = urlOf.get(specifier);
    return url === undefined ? line : `${before}${JSON.stringify(url)}${after}`;
  });
  return { code: rewritten, refused, urls: found };
}

/** A whole line of esbuild's output importing a package: `import … from "x";` or `import "x";`. */
const EXTERNAL_IMPORT = /^(import\s*|(?:import|export)\b[^\n"]*?\bfrom\s*)"([^"\n]+)"(;?)$/gm;

/**
 * The source map to write beside the batch, or `undefined` when a member
 * was compiled from another text than the one its cache key was made of
 * (the file was edited between Retort's read and esbuild's): then the
 * batch is not used. esbuild reports the text it compiled for each source
 * (`sourcesContent`), so the check costs no second read of the files and
 * leaves no window. Those texts are then taken out of the map, and each
 * source is named by its absolute `file:` URL instead of a path relative
 * to `outfile` (esbuild's form): Node resolves either, but tools that read
 * the map their own way (test runners, debuggers) then find the `.ts`
 * files too.
 */
function finishMap(
  mapText: string,
  outfile: string,
  members: readonly string[],
  sources: ReadonlyMap<string, string>,
): string | undefined {
  const map = JSON.parse(mapText) as { sources?: string[]; sourcesContent?: (string | null)[] };
  const folder = path.dirname(outfile);
  const names = map.sources ?? [];
  const contents = map.sourcesContent ?? [];
  const compiled = new Map<string, string | null | undefined>();
  // One URL per folder: `pathToFileURL` is slow enough to show on 1,000 sources.
  const folderUrls = new Map<string, string>();
  map.sources = names.map((source, index) => {
    const absolute = path.resolve(folder, source);
    compiled.set(absolute, contents[index]);
    const parent = path.dirname(absolute);
    let parentUrl = folderUrls.get(parent);
    if (parentUrl === undefined) {
      parentUrl = pathToFileURL(path.join(parent, "x")).href.slice(0, -1);
      folderUrls.set(parent, parentUrl);
    }
    const name = path.basename(absolute);
    // Names with characters a URL escapes are rare: those go through `pathToFileURL` as they are.
    return SAFE_URL_NAME.test(name) ? parentUrl + name : pathToFileURL(absolute).href;
  });
  for (const member of members) {
    const text = sources.get(member);
    const used = compiled.get(member);
    // esbuild reports the text as it read it, byte order mark and line breaks included.
    if (text === undefined || used !== text) return undefined;
  }
  delete map.sourcesContent;
  return JSON.stringify(map);
}

/** A file name `pathToFileURL` keeps as it is (ASCII letters, digits and `-._~`). */
const SAFE_URL_NAME = /^[A-Za-z0-9._~-]+$/;

/** Which member of the batch `file` is (esbuild names files relative to its working folder). */
function memberOf(file: string, members: ReadonlySet<string>): string | undefined {
  if (file === "" || file === ENTRY || file === "<stdin>") return undefined;
  const absolute = path.resolve(file);
  return members.has(absolute) ? absolute : undefined;
}
