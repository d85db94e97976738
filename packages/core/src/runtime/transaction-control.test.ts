import { describe, expect, it } from "vitest";
import { assertNoTransactionControl, findTransactionControl } from "./transaction-control.js";

describe("findTransactionControl", () => {
  it.each([
    ["COMMIT", "COMMIT"],
    ["commit;", "COMMIT"],
    ["  -- finish\n  end transaction", "END"],
    ["CREATE TABLE a (x int); COMMIT; CREATE TABLE b (y int)", "COMMIT"],
    ["BEGIN", "BEGIN"],
    ["begin immediate", "BEGIN"],
    ["START TRANSACTION", "START TRANSACTION"],
    ["ROLLBACK", "ROLLBACK"],
    ["abort", "ABORT"],
    ["/* c */ ROLLBACK WORK", "ROLLBACK"],
  ])("finds %j", (sql, keyword) => {
    expect(findTransactionControl(sql)).toBe(keyword);
  });

  it.each([
    "CREATE TABLE a (x int)",
    "ROLLBACK TO SAVEPOINT s",
    "SAVEPOINT s; RELEASE SAVEPOINT s",
    "INSERT INTO t (note) VALUES ('COMMIT; BEGIN')",
    'SELECT "commit" FROM t',
    "-- COMMIT\nSELECT 1",
    "/* ROLLBACK; */ SELECT 1",
    "CREATE FUNCTION f() RETURNS void AS $$ BEGIN COMMIT; END $$ LANGUAGE plpgsql",
    "DO $body$ BEGIN RAISE NOTICE 'x'; END $body$",
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; DELETE FROM u; END; SELECT 1",
    "START WITH nothing",
    "SELECT 1 AS end_date",
  ])("passes %j", (sql) => {
    expect(findTransactionControl(sql)).toBeUndefined();
  });

  it("refuses with the way out", () => {
    expect(() => assertNoTransactionControl("COMMIT")).toThrow(/'COMMIT' in op.execute\(\).*autocommitBlock/);
    expect(() => assertNoTransactionControl("SELECT 1")).not.toThrow();
    expect(() => assertNoTransactionControl("COMMIT", "op.getBind().query()")).toThrow(
      /^'COMMIT' in op.getBind\(\).query\(\) would end/,
    );
  });
});
