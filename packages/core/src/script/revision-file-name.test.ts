import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderFileTemplate, revisionFilePath, slugify } from "./revision-file-name.js";

describe("slugify", () => {
  it.each([
    ["Add a column", "add_a_column"],
    ["Add user-settings table (v2)!", "add_user_settings_table_v2"],
    ["  spaces   everywhere ", "spaces_everywhere"],
    ["snake_case_kept", "snake_case_kept"],
    ["Café déjà vu", "café_déjà_vu"],
    ["日本語 テスト", "日本語_テスト"],
    ["", ""],
    [undefined, ""],
    ["!!!", ""],
  ])("%s → %s", (message, slug) => {
    expect(slugify(message, 40)).toBe(slug);
  });

  it("cuts a long slug at its last word boundary and ends it with _", () => {
    // Alembic's test_long_name and test_long_name_configurable cases, plus checks against Python.
    expect(slugify("this is a really long name with lots of characters and spaces", 40)).toBe(
      "this_is_a_really_long_name_with_lots_of_",
    );
    expect(slugify("this is a really long name with lots of characters and spaces", 20)).toBe("this_is_a_really_");
    expect(slugify("this is a really long name with lots of characters and spaces", 60)).toBe(
      "this_is_a_really_long_name_with_lots_of_characters_and_",
    );
    expect(slugify("abcdefghijklmnopqrstuvwxyz", 10)).toBe("abcdefghij_");
    expect(slugify("exactly ten", 11)).toBe("exactly_ten");
  });

  it("counts characters, not UTF-16 units", () => {
    expect(slugify("😀 ok", 40)).toBe("ok");
    expect(slugify("𝒜𝒜𝒜 b", 4)).toBe("𝒜𝒜𝒜_");
  });
});

describe("renderFileTemplate", () => {
  const tokens = {
    rev: "ae1027a6acf",
    slug: "add_a_column",
    epoch: 1741000000,
    year: 2025,
    month: 3,
    day: 4,
    hour: 5,
    minute: 6,
    second: 7,
  };

  it("fills the tokens", () => {
    expect(renderFileTemplate("{rev}_{slug}", tokens)).toBe("ae1027a6acf_add_a_column");
    expect(renderFileTemplate("{epoch}-{year}{month}{day}{hour}{minute}{second}", tokens)).toBe("1741000000-202534567");
  });

  it("zero-pads with :02d and keeps literal braces", () => {
    expect(renderFileTemplate("{year}_{month:02d}_{day:02}_{{x}}_{rev}", tokens)).toBe("2025_03_04_{x}_ae1027a6acf");
  });

  it("rejects unknown tokens and Alembic's spelling", () => {
    expect(() => renderFileTemplate("{revision}_{slug}", tokens)).toThrow(
      /Unknown token \{revision\}.*\{rev\} \{slug\}/,
    );
    expect(() => renderFileTemplate("%(rev)s_%(slug)s", tokens)).toThrow(/write \{name\} instead/);
    expect(() => renderFileTemplate("{rev", tokens)).toThrow(/Unknown token \{/);
  });
});

describe("revisionFilePath", () => {
  const directory = path.resolve("/app/migrations/versions");
  const date = new Date(Date.UTC(2025, 2, 4, 5, 6, 7));

  it("is <rev>_<slug>.ts in the version location by default", () => {
    expect(revisionFilePath({ directory, revision: "ae1027a6acf", message: "Add a column", date })).toBe(
      path.join(directory, "ae1027a6acf_add_a_column.ts"),
    );
  });

  it("is <rev>_.ts without a message", () => {
    expect(revisionFilePath({ directory, revision: "ae1027a6acf" })).toBe(path.join(directory, "ae1027a6acf_.ts"));
  });

  it("makes subfolders for / and uses the time zone for dates", () => {
    expect(
      revisionFilePath({
        directory,
        revision: "r1",
        message: "m",
        fileTemplate: "{year}/{month:02d}/{day:02d}_{hour:02d}{minute:02d}_{rev}_{slug}",
        timezone: "Asia/Tokyo",
        date,
      }),
    ).toBe(path.join(directory, "2025", "03", "04_1406_r1_m.ts"));
  });

  it("honours truncateSlugLength and the extension", () => {
    expect(
      revisionFilePath({
        directory,
        revision: "r1",
        message: "one two three",
        truncateSlugLength: 5,
        extension: ".mts",
      }),
    ).toBe(path.join(directory, "r1_one_.mts"));
  });

  it("refuses a template that leaves the version location", () => {
    expect(() => revisionFilePath({ directory, revision: "r1", fileTemplate: "../{rev}" })).toThrow(
      /not a path inside/,
    );
  });
});
