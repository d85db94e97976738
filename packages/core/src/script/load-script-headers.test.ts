import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stampText } from "../config/source-texts.js";
import { loadScriptHeaders } from "./load-script-headers.js";
import { renderRevisionFile } from "./render-revision.js";
import { templatesDirectory } from "./template-directory.js";

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "retort-headers-")));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function migration(revision: string, downRevision: string | null): string {
  return `/** m ${revision} */\nexport const revision = "${revision}";\nexport const downRevision = ${JSON.stringify(downRevision)};\n`;
}

describe("loadScriptHeaders", () => {
  it("reads the headers in file order", () => {
    const root = temporaryFolder();
    const versions = path.join(root, "versions");
    fs.mkdirSync(versions);
    fs.writeFileSync(path.join(versions, "b_second.ts"), migration("b", "a"));
    fs.writeFileSync(path.join(versions, "a_first.ts"), migration("a", null));
    const headers = loadScriptHeaders({ scriptLocation: root, versionLocations: [versions] });
    expect(headers.map((header) => [header.revision, header.downRevision, header.doc, header.path])).toEqual([
      ["a", null, "m a", path.join(versions, "a_first.ts")],
      ["b", "a", "m b", path.join(versions, "b_second.ts")],
    ]);
  });

  it("hands each settled text it reads to onRead, with the stamp the file had before the read", () => {
    const root = temporaryFolder();
    const versions = path.join(root, "versions");
    fs.mkdirSync(versions);
    fs.writeFileSync(path.join(versions, "a_first.ts"), migration("a", null));
    fs.writeFileSync(path.join(versions, "b_second.ts"), migration("b", "a"));
    const read: [string, string, string][] = [];
    const options = {
      versionLocations: [versions],
      cacheDirectory: path.join(root, "cache"),
      onRead: (file: string, stamp: string, text: string) => read.push([file, stamp, text]),
    };
    // Just written, they may still change within the same tick: not handed on.
    loadScriptHeaders(options);
    expect(read).toEqual([]);
    // Settled (the clock a minute later), and read again since the cache kept no entry for them.
    loadScriptHeaders({ ...options, now: () => (BigInt(Date.now()) + 60_000n) * 1_000_000n });
    expect(read).toEqual(
      ["a_first.ts", "b_second.ts"].map((name) => {
        const file = path.join(versions, name);
        const stat = fs.statSync(file);
        return [file, stampText(stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino), fs.readFileSync(file, "utf8")];
      }),
    );
  });

  it("reads a file reached twice once, with a warning", () => {
    const root = temporaryFolder();
    const versions = path.join(root, "versions");
    fs.mkdirSync(versions);
    fs.writeFileSync(path.join(versions, "a.ts"), migration("a", null));
    const warnings: string[] = [];
    const headers = loadScriptHeaders({
      versionLocations: [versions, `${versions}/`],
      onWarning: (message) => warnings.push(message),
    });
    expect(headers).toHaveLength(1);
    expect(warnings).toEqual([
      `File ${path.join(versions, "a.ts")} loaded twice! ignoring. Please ensure versionLocations is unique.`,
    ]);
  });

  it("fails with Alembic's text when the script folder is missing", () => {
    const root = temporaryFolder();
    const missing = path.join(root, "migrations");
    expect(() =>
      loadScriptHeaders({ scriptLocation: missing, versionLocations: [path.join(missing, "versions")] }),
    ).toThrow(`Path doesn't exist: ${missing}.  Please use the 'init' command to create a new scripts folder.`);
  });

  it("reads 10,000 files well under a second", () => {
    const root = temporaryFolder();
    const versions = path.join(root, "versions");
    fs.mkdirSync(versions);
    const template = fs.readFileSync(path.join(templatesDirectory(), "generic", "script.ts.template"), "utf8");
    const upgrades = Array.from(
      { length: 10 },
      (_, index) => `await op.execute("UPDATE t SET a = ${index} WHERE b = '/'");`,
    ).join("\n");
    for (let index = 0; index < 10_000; index++) {
      const revision = `r${String(index).padStart(6, "0")}`;
      const downRevision = index === 0 ? null : `r${String(index - 1).padStart(6, "0")}`;
      const text = renderRevisionFile(template, {
        revision,
        downRevision,
        message: `migration ${index}`,
        upgrades,
        downgrades: upgrades,
      });
      fs.writeFileSync(path.join(versions, `${revision}_migration_${index}.ts`), text);
    }
    const started = performance.now();
    const headers = loadScriptHeaders({ scriptLocation: root, versionLocations: [versions] });
    const elapsed = performance.now() - started;
    expect(headers).toHaveLength(10_000);
    expect(headers[9_999]).toMatchObject({ revision: "r009999", downRevision: "r009998", doc: "migration 9999" });
    console.info(`loadScriptHeaders: 10,000 files in ${elapsed.toFixed(0)} ms`);
    // The goal is well under a second; the bound leaves room for slow CI disks.
    expect(elapsed).toBeLessThan(3000);
  }, 60_000);
});
