import { describe, expect, it } from "vitest";
import type { Dialect } from "../driver/driver.js";
import { stubDialect } from "../test-support/stub-dialect.js";
import { OfflineUnavailableError } from "./offline-unavailable-error.js";
import { ScriptStatementSink } from "./script-statement-sink.js";

function dialectWith(transactionalDdl: boolean): Dialect {
  const base = stubDialect();
  return stubDialect({ capabilities: { ...base.capabilities, transactionalDdl } });
}

const need = { what: "Reading the current version", instead: "Give the starting revision." };

describe("ScriptStatementSink", () => {
  it("writes statements with values inline, `;` and a blank line, tabs as spaces, trimmed", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    await sink.execute({ sql: "  INSERT INTO t VALUES ($1)\t", parameters: ["it's"] });
    await sink.execute({ sql: "CREATE TABLE t (\n\ta INT\n);", parameters: [] });
    expect(sink.script).toBe("INSERT INTO t VALUES ('it''s');\n\nCREATE TABLE t (\n    a INT\n);\n\n");
  });

  it("keeps a tab inside a value, a quoted name or a dollar-quoted body: it is data", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    await sink.execute({
      sql: "INSERT INTO t\t(a, \"b\tc\") VALUES ($1, 'x\ty') -- note\there",
      parameters: ["tab\there"],
    });
    await sink.execute({ sql: "DO $$ BEGIN\tPERFORM 1; END $$", parameters: [] });
    expect(sink.script).toBe(
      "INSERT INTO t    (a, \"b\tc\") VALUES ('tab\there', 'x\ty') -- note    here\n;\n\nDO $$ BEGIN\tPERFORM 1; END $$;\n\n",
    );
  });

  it("puts the terminator of a statement ending in a -- comment on a line of its own", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    await sink.execute({ sql: "INSERT INTO t VALUES ($1) -- what?", parameters: ["z"] });
    await sink.execute({ sql: "UPDATE t SET a = 1; -- done", parameters: [] });
    await sink.execute({ sql: "INSERT INTO t VALUES ('--')", parameters: [] });
    await sink.execute({ sql: "SELECT 1 -- a;", parameters: [] });
    expect(sink.script).toBe(
      "INSERT INTO t VALUES ('z') -- what?\n;\n\n" +
        "UPDATE t SET a = 1; -- done\n\n" +
        "INSERT INTO t VALUES ('--');\n\n" +
        "SELECT 1 -- a;\n;\n\n",
    );
  });

  it("writes BEGIN/COMMIT only where DDL is transactional, and tracks the transaction either way", async () => {
    for (const transactionalDdl of [true, false]) {
      const sink = new ScriptStatementSink(dialectWith(transactionalDdl));
      expect(sink.offline).toBe(true);
      await sink.begin();
      expect(sink.inTransaction).toBe(true);
      await sink.execute({ sql: "SELECT 1", parameters: [] });
      await sink.commit();
      expect(sink.inTransaction).toBe(false);
      expect(sink.script).toBe(transactionalDdl ? "BEGIN;\n\nSELECT 1;\n\nCOMMIT;\n\n" : "SELECT 1;\n\n");
    }
  });

  it("writes nothing for a rollback (a failed run prints no script)", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    await sink.begin();
    await sink.rollback();
    expect(sink.inTransaction).toBe(false);
    expect(sink.script).toBe("BEGIN;\n\n");
  });

  it("writes comments as `-- text`", () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    sink.comment("Running upgrade  -> a1");
    expect(sink.script).toBe("-- Running upgrade  -> a1\n\n");
  });

  it("reports the expected row count for a statement that expects one (a script cannot check it)", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    const mismatch = () => new Error("never thrown offline");
    const result = await sink.execute({
      sql: "DELETE FROM v WHERE n = $1",
      parameters: ["a"],
      expectRows: { count: 1, mismatch },
    });
    expect(result.rowCount).toBe(1);
    expect(sink.script).toBe("DELETE FROM v WHERE n = 'a';\n\n");
  });

  it("refuses to read: query and relationKind name what needs a live database", async () => {
    const sink = new ScriptStatementSink(dialectWith(true));
    expect(() => sink.query({ sql: "SELECT 1", parameters: [] }, need)).toThrow(OfflineUnavailableError);
    expect(() => sink.relationKind("alembic_version", undefined, need)).toThrow(
      "Reading the current version needs a live database, which --sql (offline) mode does not have. Give the starting revision.",
    );
    expect(sink.script).toBe("");
  });
});
