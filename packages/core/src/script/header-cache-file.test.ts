import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HeaderCache } from "./header-cache.js";
import { parseSections } from "./header-cache-file.js";
import { readRevisionHeader } from "./read-revision-header.js";
import { versionFolders } from "./test-support/version-folders.js";

const setUp = versionFolders("retort-header-cache-file-");

describe("parseSections", () => {
  it("reads the stamps in place from a file's own memory, and the same numbers from a copy at an odd offset", () => {
    const { versions, cache } = setUp();
    const files = ["a_first.ts", "b_second.ts"].map((name, index) => {
      const file = path.join(versions, name);
      fs.writeFileSync(
        file,
        `export const revision = "${name[0]}";\nexport const downRevision = ${index ? '"a"' : "null"};\n`,
      );
      return file;
    });
    const headers = HeaderCache.open(cache, [versions], () => (BigInt(Date.now()) + 60_000n) * 1_000_000n);
    for (const file of files) headers?.header(file, () => readRevisionHeader(file, fs.readFileSync(file, "utf8")));
    headers?.save();
    const [name] = fs.readdirSync(cache).filter((entry) => entry.endsWith(".json"));
    const bytes = fs.readFileSync(path.join(cache, name as string));
    const shifted = Buffer.alloc(bytes.length + 3).subarray(3);
    bytes.copy(shifted);

    const inPlace = parseSections(bytes);
    const copied = parseSections(shifted);
    expect(inPlace?.count).toBe(2);
    for (const sections of [inPlace, copied]) {
      const stat = fs.statSync(files[1] as string);
      expect(Array.from(sections?.stamp(1) ?? [])).toEqual([stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino]);
      expect(sections?.headerStarts(0)).toBe(1);
    }
    // In place: a view on the file's bytes, not a copy of them.
    expect(inPlace?.stamp(0)?.buffer).toBe(bytes.buffer);
    expect(copied?.stamp(0)?.buffer).not.toBe(shifted.buffer);
  });
});
