import { describe, expect, it } from "vitest";
import { keepSourceText, stampText, takeSourceText } from "./source-texts.js";

describe("kept source texts", () => {
  it("hands a text out once, for the stamp it was kept under", () => {
    keepSourceText("/app/a.ts", stampText(10, 1, 2, 3), "a");
    keepSourceText("/app/b.ts", stampText(10, 1, 2, 4), "b");
    expect(takeSourceText("/app/a.ts", stampText(10, 1, 2, 3))).toBe("a");
    expect(takeSourceText("/app/a.ts", stampText(10, 1, 2, 3))).toBeUndefined();
    // The file changed since: its old text is not given, and is forgotten.
    expect(takeSourceText("/app/b.ts", stampText(11, 5, 5, 4))).toBeUndefined();
    expect(takeSourceText("/app/b.ts", stampText(10, 1, 2, 4))).toBeUndefined();
    expect(takeSourceText("/app/never.ts", stampText(1, 1, 1, 1))).toBeUndefined();
  });

  it("keeps at most 4 MiB of text", () => {
    const big = "x".repeat(3 * 1024 * 1024);
    keepSourceText("/app/big1.ts", "s", big);
    keepSourceText("/app/big2.ts", "s", big);
    expect(takeSourceText("/app/big2.ts", "s")).toBeUndefined();
    expect(takeSourceText("/app/big1.ts", "s")).toBe(big);
    // Taken, it no longer counts.
    keepSourceText("/app/big2.ts", "s", big);
    expect(takeSourceText("/app/big2.ts", "s")).toBe(big);
  });
});
