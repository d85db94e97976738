import { describe, expect, it } from "vitest";
import { contentKey } from "./content-key.js";

/** How many of the 128 bits differ between two keys. */
function bitsApart(a: string, b: string): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x !== 0) {
      count += x & 1;
      x >>>= 1;
    }
  }
  return count;
}

describe("contentKey", () => {
  it("is 32 hex digits, the same for the same parts in every process", () => {
    const key = contentKey(["retort-compiled-1", "/app/retort.config.ts", "", "export default {};\n"]);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    // A fixed value: keys name files in the cache, so they must not depend on the process.
    expect(contentKey(["a"])).toBe(contentKey(["a"]));
    expect(contentKey([])).toBe("bd6280db26a5f0a58838eadca3df63db");
  });

  it("tells apart where one part ends and the next begins", () => {
    expect(contentKey(["ab", "c"])).not.toBe(contentKey(["a", "bc"]));
    expect(contentKey(["abc"])).not.toBe(contentKey(["abc", ""]));
    expect(contentKey(["", "abc"])).not.toBe(contentKey(["abc"]));
  });

  it("changes with any one code unit, anywhere, including characters beyond Latin-1", () => {
    const text = `export async function upgrade(op) {\n  await op.createTable("t", []);\n}\n`.repeat(20);
    const key = contentKey(["/app/m.ts", text]);
    const seen = new Set([key]);
    for (let at = 0; at < text.length; at += 7) {
      const code = text.charCodeAt(at);
      for (const other of [code ^ 1, code ^ 0x100, 0x263a]) {
        if (other === code) continue;
        const edited = text.slice(0, at) + String.fromCharCode(other) + text.slice(at + 1);
        seen.add(contentKey(["/app/m.ts", edited]));
      }
    }
    // Every edit gave a key of its own.
    expect(seen.size).toBe(1 + Math.ceil(text.length / 7) * 3);
  });

  it("spreads a one-character difference over about half the bits", () => {
    let total = 0;
    const samples = 2_000;
    for (let i = 0; i < samples; i++) {
      total += bitsApart(contentKey([`/app/versions/r${i}.ts`]), contentKey([`/app/versions/r${i + 1}.ts`]));
    }
    const mean = total / samples;
    expect(mean).toBeGreaterThan(60);
    expect(mean).toBeLessThan(68);
  });

  it("gives 200,000 distinct paths 200,000 distinct keys", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200_000; i++) keys.add(contentKey([`/srv/app/migrations/versions/${i.toString(36)}_x.ts`]));
    expect(keys.size).toBe(200_000);
  });
});
