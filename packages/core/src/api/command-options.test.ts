/** A command's options object: a misspelt key fails, naming the closest one, before anything runs. */
import { describe, expect, it } from "vitest";
import { UnknownOptionError } from "../errors/unknown-option-error.js";
import { current, history, revision, stamp, upgrade } from "../index.js";

// Never read: the options are checked first.
const config = { scriptLocation: "/nonexistent/retort-options-test" };

describe("command options", () => {
  it("refuses an unknown key with the closest known one (a misspelt url would migrate DATABASE_URL's database)", async () => {
    const caught = await Promise.resolve()
      .then(() => upgrade(config, "head", { URL: "sqlite:///intended.db" } as never))
      .catch((error: unknown) => error);
    expect(UnknownOptionError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain("Unknown option 'URL' in upgrade(...)");
    expect((caught as Error).message).toContain("did you mean 'url'?");
  });

  it.each([
    ["current", () => current(config, { checkheads: true } as never), "checkHeads"],
    ["stamp", () => stamp(config, ["a1"], { purg: true } as never), "purge"],
    ["history", () => history(config, { rnage: "a:b" } as never), "range"],
    ["revision", () => revision(config, { mesage: "x" } as never), "message"],
  ])("%s names its own options too", async (_name, run, meant) => {
    const caught = await Promise.resolve()
      .then(run)
      .catch((error: unknown) => error);
    expect(UnknownOptionError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain(`did you mean '${meant}'?`);
  });

  it("accepts the options every command takes and its own", async () => {
    // They pass the check, then fail on the missing script folder.
    const caught = await Promise.resolve()
      .then(() => current(config, { checkHeads: true, url: "sqlite://", env: {} }))
      .catch((error: unknown) => error);
    expect(UnknownOptionError.isInstance(caught)).toBe(false);
    expect((caught as Error).message).toContain("Path doesn't exist");
  });
});
