import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDotEnv, parseDotEnv } from "./dot-env.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("parseDotEnv", () => {
  it("reads assignments, quotes, comments and export", () => {
    const text = [
      "# a comment",
      "PLAIN=value",
      "SPACED = spaced value  ",
      "export EXPORTED=yes",
      'DOUBLE="a \\"quoted\\" value\\nnext"',
      "SINGLE='no \\n escapes # here'",
      "BACKTICK=`back`",
      "INLINE=value # comment",
      "HASH=pa#ss",
      "EMPTY=",
      'URL="postgresql://app:s3cret@db/app" # prod',
      "not an assignment",
      'MULTI="line one',
      'line two"',
      "LAST=1",
      "LAST=2",
    ].join("\r\n");
    expect(parseDotEnv(text)).toEqual({
      PLAIN: "value",
      SPACED: "spaced value",
      EXPORTED: "yes",
      DOUBLE: 'a "quoted" value\nnext',
      SINGLE: "no \\n escapes # here",
      BACKTICK: "back",
      INLINE: "value",
      HASH: "pa#ss",
      EMPTY: "",
      URL: "postgresql://app:s3cret@db/app",
      MULTI: "line one\nline two",
      LAST: "2",
    });
  });
});

describe("loadDotEnv", () => {
  it("sets variables that are not already set", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "retort-env-"));
    folders.push(folder);
    fs.writeFileSync(path.join(folder, ".env"), "DATABASE_URL=sqlite:///file.db\nKEEP=file\n");
    const env: Record<string, string | undefined> = { KEEP: "process" };
    expect(loadDotEnv(folder, env)).toEqual(["DATABASE_URL"]);
    expect(env).toEqual({ KEEP: "process", DATABASE_URL: "sqlite:///file.db" });
  });

  it("does nothing without a .env file", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "retort-env-"));
    folders.push(folder);
    const env = {};
    expect(loadDotEnv(folder, env)).toEqual([]);
    expect(env).toEqual({});
  });
});
