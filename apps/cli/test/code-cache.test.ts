import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  CODE_CACHE_MARKER,
  type CodeCache,
  cacheFolder,
  commandName,
  installCodeCache,
  MAX_CACHED_SOURCE,
} from "../src/code-cache.js";
import { BATCH_CODE_CACHE_MARKER } from "../../../packages/core/src/config/batch-script.js";
import { cacheDirectory } from "../../../packages/core/src/config/cache-directory.js";

const require = createRequire(import.meta.url);
/** The hook as the CLI ships it (`pnpm build`): bin/retort.cjs loads this file. */
const builtHook = fileURLToPath(new URL("../dist/code-cache.cjs", import.meta.url));
const installed: CodeCache[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const cache of installed.splice(0)) cache.restore();
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const made = fs.mkdtempSync(path.join(os.tmpdir(), "retort-code-cache-"));
  folders.push(made);
  return made;
}

/** A bundle-like script: the marker, a function that runs, and a lazily compiled one. */
function writeBundle(directory: string, name: string, value: string): string {
  const file = path.join(directory, name);
  fs.writeFileSync(
    file,
    `${CODE_CACHE_MARKER}\n"use strict";\nfunction later() { return ${JSON.stringify(value)}; }\n` +
      `exports.value = later();\nexports.dirname = __dirname;\nexports.resolved = require.resolve("./helper.cjs");\n` +
      `exports.helper = require("./helper.cjs").name;\n`,
  );
  fs.writeFileSync(path.join(directory, "helper.cjs"), `exports.name = "helper";\n`);
  return file;
}

/**
 * One run of a command, in a process of its own as the CLI's are (V8 keeps
 * compiled code for the rest of a process, so a second load in this one
 * would never look at the entry): the built hook is installed, `file` loads,
 * the hook saves. What the file exported and each bundle's entry state.
 */
function run(
  file: string,
  cacheDir: string,
  args: string[] = ["heads"],
): { exports: Record<string, unknown>; states: Record<string, string> } {
  const program = `
    const cache = require(${JSON.stringify(builtHook)}).installCodeCache(${JSON.stringify(args)});
    const loaded = require(${JSON.stringify(file)});
    cache.save();
    process.stdout.write(JSON.stringify({ exports: loaded, states: Object.fromEntries(cache.states) }));
  `;
  const result = spawnSync(process.execPath, ["-e", program], {
    env: { ...process.env, RETORT_CACHE_DIR: cacheDir },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { exports: Record<string, unknown>; states: Record<string, string> };
}

function entries(cacheDir: string): { name: string; size: number }[] {
  const code = path.join(cacheDir, "code");
  if (!fs.existsSync(code)) return [];
  return fs
    .readdirSync(code)
    .sort()
    .map((name) => ({ name, size: fs.statSync(path.join(code, name)).size }));
}

describe("the code cache of Retort's bundles", () => {
  it("leaves an empty entry on a first run, writes the code on the second, uses it from the third", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    const file = writeBundle(source, "bundle.cjs", "one");

    const first = run(file, cacheDir);
    expect(first.exports).toEqual({
      value: "one",
      dirname: source,
      resolved: path.join(source, "helper.cjs"),
      helper: "helper",
    });
    expect(first.states["bundle.cjs"]).toBe("absent");
    expect(entries(cacheDir)).toEqual([{ name: expect.stringMatching(/-heads\.bin$/), size: 0 }]);
    // The folder is the user's own and closed to others, as the rest of the cache.
    expect(fs.statSync(path.join(cacheDir, "code")).mode & 0o777).toBe(0o700);

    const second = run(file, cacheDir);
    expect(second.states["bundle.cjs"]).toBe("empty");
    const [written] = entries(cacheDir);
    expect(written?.size).toBeGreaterThan(0);
    expect(fs.statSync(path.join(cacheDir, "code", written?.name as string)).mode & 0o777).toBe(0o600);

    const third = run(file, cacheDir);
    expect(third.states["bundle.cjs"]).toBe("used");
    expect(third.exports.value).toBe("one");
    expect(entries(cacheDir)).toEqual([written]);
  });

  it("compiles through the cache only up to MAX_CACHED_SOURCE of scripts; the rest load as Node loads them", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    // Three scripts of about 0.4 of the budget each: the first two fit.
    const padding = `/*${"x".repeat(Math.floor(MAX_CACHED_SOURCE * 0.4))}*/\n`;
    for (const name of ["a", "b", "c"]) {
      fs.writeFileSync(
        path.join(source, `${name}.cjs`),
        `${CODE_CACHE_MARKER}\n${padding}function later() { return ${JSON.stringify(name)}; }\nexports.value = later();\n`,
      );
    }
    const main = path.join(source, "main.cjs");
    fs.writeFileSync(main, `exports.values = ["a", "b", "c"].map((name) => require(\`./\${name}.cjs\`).value);\n`);
    const sizes = () => entries(cacheDir).map((entry) => entry.size > 0);

    const first = run(main, cacheDir);
    expect(first.exports).toEqual({ values: ["a", "b", "c"] });
    expect(first.states).toEqual({ "a.cjs": "absent", "b.cjs": "absent" });
    expect(sizes()).toEqual([false, false]);
    expect(run(main, cacheDir).states).toEqual({ "a.cjs": "empty", "b.cjs": "empty" });
    expect(sizes()).toEqual([true, true]);
    const third = run(main, cacheDir);
    expect(third.states).toEqual({ "a.cjs": "used", "b.cjs": "used" });
    expect(third.exports).toEqual({ values: ["a", "b", "c"] });
  });

  it("serves @retort/core's migration batches: they start with the same marker", () => {
    expect(BATCH_CODE_CACHE_MARKER).toBe(CODE_CACHE_MARKER);
  });

  it("keeps one entry per command", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    const file = writeBundle(source, "bundle.cjs", "one");
    run(file, cacheDir, ["heads"]);
    run(file, cacheDir, ["--quiet", "upgrade", "head"]);
    run(file, cacheDir, ["--version"]);
    expect(entries(cacheDir).map((entry) => entry.name.replace(/^[0-9a-f-]+-(?=[a-z])/, ""))).toEqual([
      "heads.bin",
      "none.bin",
      "upgrade.bin",
    ]);
  });

  it("gives an edited bundle a new entry and removes the old one once the new one holds code", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    const file = writeBundle(source, "bundle.cjs", "one");
    run(file, cacheDir);
    run(file, cacheDir);
    const before = entries(cacheDir);
    // Same length, so V8's own check (the source's length) would take the old code.
    writeBundle(source, "bundle.cjs", "two");
    const edited = run(file, cacheDir);
    expect(edited.exports.value).toBe("two");
    expect(edited.states["bundle.cjs"]).toBe("absent");
    run(file, cacheDir);
    const after = entries(cacheDir);
    expect(after).toHaveLength(1);
    expect(after[0]?.name).not.toBe(before[0]?.name);
    expect(run(file, cacheDir).exports.value).toBe("two");
  });

  it("writes the entry again when V8 rejects it", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    const file = writeBundle(source, "bundle.cjs", "one");
    run(file, cacheDir);
    run(file, cacheDir);
    const [entry] = entries(cacheDir);
    const entryFile = path.join(cacheDir, "code", entry?.name as string);
    fs.writeFileSync(entryFile, Buffer.from("not V8's code cache"));
    const rejected = run(file, cacheDir);
    expect(rejected.states["bundle.cjs"]).toBe("rejected");
    expect(rejected.exports.value).toBe("one");
    expect(fs.statSync(entryFile).size).toBeGreaterThan(100);
    expect(run(file, cacheDir).states["bundle.cjs"]).toBe("used");
  });

  it("does not read a folder others may write to, and closes it before writing", () => {
    const source = folder();
    const cacheDir = path.join(folder(), "cache");
    const file = writeBundle(source, "bundle.cjs", "one");
    run(file, cacheDir);
    run(file, cacheDir);
    fs.chmodSync(path.join(cacheDir, "code"), 0o777);
    expect(run(file, cacheDir).states["bundle.cjs"]).toBe("absent");
    expect(fs.statSync(path.join(cacheDir, "code")).mode & 0o777).toBe(0o700);
  });

  it("leaves other files to Node and does nothing with RETORT_CACHE_DIR empty", () => {
    const source = folder();
    const plain = path.join(source, "plain.cjs");
    fs.writeFileSync(plain, "exports.value = 1;\n");
    const cacheDir = path.join(folder(), "cache");
    const cache = installCodeCache(["heads"], { RETORT_CACHE_DIR: cacheDir }) as CodeCache;
    installed.push(cache);
    expect(require(plain)).toEqual({ value: 1 });
    cache.save();
    expect(cache.states.size).toBe(0);
    expect(fs.existsSync(cacheDir)).toBe(false);
    expect(installCodeCache(["heads"], { RETORT_CACHE_DIR: "" })).toBeUndefined();
    // Turned off, a bundle loads as Node loads it.
    const bundle = writeBundle(source, "bundle.cjs", "one");
    const off = spawnSync(
      process.execPath,
      [
        "-e",
        `
      const cache = require(${JSON.stringify(builtHook)}).installCodeCache(["heads"]);
      process.stdout.write(String(cache === undefined) + " " + require(${JSON.stringify(bundle)}).value);
    `,
      ],
      { env: { ...process.env, RETORT_CACHE_DIR: "" }, encoding: "utf8" },
    );
    expect(off.stdout).toBe("true one");
  });

  it("names the command after the global options and their values", () => {
    expect(commandName(["upgrade", "head"])).toBe("upgrade");
    expect(commandName(["-c", "retort.config.ts", "--url", "sqlite:///a.db", "-x", "tenant", "current"])).toBe(
      "current",
    );
    expect(commandName(["--config", "config", "-q", "heads"])).toBe("heads");
    expect(commandName(["--version"])).toBe("none");
    expect(commandName(["../weird/Name"])).toBe("none");
  });

  it("serves the bundles the build writes: each starts with the marker and is ASCII only (scripts/bundle-dist.mjs)", () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    for (const bundle of [
      "apps/cli/dist/retort.cjs",
      "packages/core/dist/bundle/core.cjs",
      "packages/sqlite/dist/bundle/index.cjs",
      "packages/postgres/dist/bundle/index.cjs",
      "packages/mysql/dist/bundle/index.cjs",
    ]) {
      const text = fs.readFileSync(path.join(root, bundle), "utf8");
      expect(text.startsWith(`${CODE_CACHE_MARKER}\n`), bundle).toBe(true);
      // One character beyond ASCII and V8 keeps the whole source at two bytes a character.
      expect(text.match(/[\u0080-\uffff]/)?.[0], bundle).toBeUndefined();
    }
  });

  it("finds the cache folder as @retort/core does", () => {
    for (const env of [
      { RETORT_CACHE_DIR: "/tmp/somewhere" },
      { RETORT_CACHE_DIR: "" },
      { XDG_CACHE_HOME: "/tmp/xdg" },
      {},
    ]) {
      expect(cacheFolder(env)).toBe(cacheDirectory(env));
    }
  });
});
