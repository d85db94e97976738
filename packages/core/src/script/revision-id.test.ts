import { describe, expect, it } from "vitest";
import { generateRevisionId, longRevisionIdWarning, validateRevisionId } from "./revision-id.js";

describe("generateRevisionId", () => {
  it("gives 12 lowercase hex characters, different each time", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateRevisionId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("validateRevisionId", () => {
  it("accepts ordinary ids", () => {
    expect(() => validateRevisionId("ae1027a6acf")).not.toThrow();
    expect(() => validateRevisionId("my_rev_001")).not.toThrow();
  });

  it.each([
    ["ab:c", "Character(s) ':' not allowed in revision identifier 'ab:c'"],
    ["a-b", "Character(s) '-' not allowed in revision identifier 'a-b'"],
    ["a@b+c-d:e", "Character(s) '+, -, :, @' not allowed in revision identifier 'a@b+c-d:e'"],
  ])("rejects %s with Alembic's text", (id, message) => {
    expect(() => validateRevisionId(id)).toThrow(message);
  });

  it.each(["a/b", "a\\b"])("rejects %s, whose file would land in a subfolder", (id) => {
    expect(() => validateRevisionId(id)).toThrow(`Revision identifier '${id}' contains a path separator`);
  });

  it.each(["base", "head", "heads"])("rejects %s, a reserved word", (id) => {
    expect(() => validateRevisionId(id)).toThrow(`Revision identifier '${id}' is a reserved word`);
    expect(() => validateRevisionId(`${id}1`)).not.toThrow();
  });

  it("accepts an id longer than the version table's default 32 characters, as Alembic does", () => {
    expect(() => validateRevisionId("a".repeat(40))).not.toThrow();
  });

  it("rejects an empty id", () => {
    expect(() => validateRevisionId("")).toThrow(/empty/);
  });
});

describe("longRevisionIdWarning", () => {
  it("says nothing for 32 characters, and names the widening ALTER for more", () => {
    expect(longRevisionIdWarning("a".repeat(32))).toBeUndefined();
    const warning = longRevisionIdWarning("a".repeat(33), "app.versions");
    expect(warning).toContain(`Revision identifier '${"a".repeat(33)}' is 33 characters long`);
    expect(warning).toContain("PostgreSQL: ALTER TABLE app.versions ALTER COLUMN version_num TYPE VARCHAR(64)");
    expect(warning).toContain("MySQL/MariaDB: ALTER TABLE app.versions MODIFY version_num VARCHAR(64) NOT NULL");
  });
});
