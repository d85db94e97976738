import { binary, boolean, customType, dateTime, enumType, float, integer, numeric, string } from "@retort/core";
import { describe, expect, it } from "vitest";
import { mysqlDefault, reflectedDefault, unquoteIdentifiers } from "./mysql-defaults.js";
import { comparableMysqlType, mysqlColumnType, parseQuotedList } from "./mysql-type-names.js";

describe("mysqlColumnType", () => {
  it.each([
    ["int(11)", integer()],
    ["int", integer()],
    ["INTEGER", integer()],
    ["tinyint(1)", boolean()],
    ["BOOL", boolean()],
    ["tinyint(4)", customType("tinyint(4)")],
    ["varchar(255)", string(255)],
    ["decimal(10,2)", numeric(10, 2)],
    ["NUMERIC", numeric(10, 0)],
    ["NUMERIC(12)", numeric(12, 0)],
    ["FLOAT(10)", float()],
    ["FLOAT(53)", float(53)],
    ["double", float(53)],
    ["datetime", dateTime()],
    ["datetime(6)", customType("datetime(6)")],
    ["BLOB", binary()],
    ["BLOB(16)", customType("tinyblob")],
    ["int(10) unsigned", customType("int unsigned")],
    ["enum('a','it''s')", enumType("c", ["a", "it's"])],
  ])("%s", (reported, expected) => {
    expect(mysqlColumnType(reported, { column: "c" })).toEqual(expected);
  });

  it("reads MariaDB's JSON (a longtext with a json_valid check) as json", () => {
    expect(mysqlColumnType("longtext", { jsonColumn: true })).toEqual({ kind: "json" });
    expect(mysqlColumnType("longtext")).toEqual(customType("longtext"));
  });

  it("parses an ENUM's values with doubled quotes and backslash escapes", () => {
    expect(parseQuotedList("'a','b''c','d\\\\e'")).toEqual(["a", "b'c", "d\\e"]);
    expect(parseQuotedList("a")).toBeUndefined();
  });
});

describe("comparableMysqlType", () => {
  it("drops display widths and maps synonyms to one name", () => {
    expect(comparableMysqlType({ name: "int", args: ["11"] })).toEqual({ name: "int", args: [] });
    expect(comparableMysqlType({ name: "integer", args: [] })).toEqual({ name: "int", args: [] });
    expect(comparableMysqlType({ name: "bool", args: [] })).toEqual({ name: "tinyint", args: ["1"] });
    expect(comparableMysqlType({ name: "tinyint", args: ["4"] })).toEqual({ name: "tinyint", args: ["4"] });
    expect(comparableMysqlType({ name: "numeric", args: ["12"] })).toEqual({ name: "decimal", args: ["12", "0"] });
    expect(comparableMysqlType({ name: "float", args: ["40"] })).toEqual({ name: "double", args: [] });
  });

  it("keeps the BLOB types apart, and reads BLOB(n) as the type the server makes of it", () => {
    expect(comparableMysqlType({ name: "longblob", args: [] })).toEqual({ name: "longblob", args: [] });
    expect(comparableMysqlType({ name: "mediumblob", args: [] })).toEqual({ name: "mediumblob", args: [] });
    expect(comparableMysqlType({ name: "tinyblob", args: [] })).toEqual({ name: "tinyblob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: [] })).toEqual({ name: "blob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: ["255"] })).toEqual({ name: "tinyblob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: ["256"] })).toEqual({ name: "blob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: ["65535"] })).toEqual({ name: "blob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: ["65536"] })).toEqual({ name: "mediumblob", args: [] });
    expect(comparableMysqlType({ name: "blob", args: ["16777216"] })).toEqual({ name: "longblob", args: [] });
  });

  it("leaves a declared CHARACTER SET and COLLATE out of the type (column collations are not compared)", () => {
    expect(
      comparableMysqlType({ name: "varchar character set utf8mb4 collate utf8mb4_unicode_ci", args: ["100"] }),
    ).toEqual({ name: "varchar", args: ["100"] });
    expect(comparableMysqlType({ name: "char charset latin1", args: ["8"] })).toEqual({ name: "char", args: ["8"] });
    expect(comparableMysqlType({ name: "text collate utf8mb4_bin", args: [] })).toEqual({ name: "text", args: [] });
  });

  it("compares a SET's values as one argument, so that a value added or removed is a change", () => {
    const declared = comparableMysqlType({ name: "set", args: ["'a'", "'b'", "'c'", "'d'"] });
    const reflected = comparableMysqlType({ name: "set", args: ["'a'", "'b'", "'c'"] }, "reflected");
    expect(declared).toEqual({ name: "set", args: ["'a','b','c','d'"] });
    expect(reflected).toEqual({ name: "set", args: ["'a','b','c'"] });
    expect(comparableMysqlType({ name: "set", args: ["'b'", "'a'"] })).not.toEqual(
      comparableMysqlType({ name: "set", args: ["'a'", "'b'"] }),
    );
  });

  it("gives a column's datetime, timestamp and time without fractional seconds precision 0, not a declaration", () => {
    for (const name of ["datetime", "timestamp", "time"]) {
      expect(comparableMysqlType({ name, args: [] }, "reflected")).toEqual({ name, args: ["0"] });
      expect(comparableMysqlType({ name, args: ["3"] }, "reflected")).toEqual({ name, args: ["3"] });
      expect(comparableMysqlType({ name, args: [] }, "declared")).toEqual({ name, args: [] });
    }
  });
});

describe("defaults", () => {
  it("reads MariaDB's defaults, which are SQL text", () => {
    expect(reflectedDefault("'abc'", "", string(3), "mariadb")).toBe("'abc'");
    expect(reflectedDefault("NULL", "", string(3), "mariadb")).toBeUndefined();
    expect(reflectedDefault(null, "", string(3), "mariadb")).toBeUndefined();
    expect(reflectedDefault("current_timestamp()", "", dateTime(), "mariadb")).toBe("CURRENT_TIMESTAMP");
    expect(reflectedDefault("current_timestamp(3)", "", dateTime(), "mariadb")).toBe("CURRENT_TIMESTAMP(3)");
    expect(reflectedDefault("curdate()", "", dateTime(), "mariadb")).toBe("CURRENT_DATE");
    expect(reflectedDefault("curtime()", "", dateTime(), "mariadb")).toBe("CURRENT_TIME");
  });

  it("keeps ON UPDATE CURRENT_TIMESTAMP, which both report in EXTRA, with the default", () => {
    expect(reflectedDefault("current_timestamp()", "on update current_timestamp()", dateTime(), "mariadb")).toBe(
      "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
    );
    expect(reflectedDefault("NULL", "on update current_timestamp(3)", dateTime(), "mariadb")).toBe(
      "NULL ON UPDATE CURRENT_TIMESTAMP(3)",
    );
    expect(
      reflectedDefault("CURRENT_TIMESTAMP", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", dateTime(), "mysql"),
    ).toBe("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP");
    expect(mysqlDefault("now() on update now()", dateTime())).toBe("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP");
  });

  it("reads MySQL 8's defaults, which are bare values unless DEFAULT_GENERATED", () => {
    expect(reflectedDefault("abc", "", string(3), "mysql")).toBe("'abc'");
    expect(reflectedDefault("it's", "", string(3), "mysql")).toBe("'it''s'");
    expect(reflectedDefault("12", "", integer(), "mysql")).toBe("12");
    expect(reflectedDefault("12", "", string(3), "mysql")).toBe("'12'");
    expect(reflectedDefault("CURRENT_TIMESTAMP", "DEFAULT_GENERATED", dateTime(), "mysql")).toBe("CURRENT_TIMESTAMP");
    expect(reflectedDefault("(`a` + 1)", "DEFAULT_GENERATED", integer(), "mysql")).toBe("(a + 1)");
    expect(reflectedDefault("concat(_utf8mb4\\'a\\',`b`)", "DEFAULT_GENERATED", string(9), "mysql")).toBe(
      "concat('a',b)",
    );
  });

  it("writes a declared default as the server gives it back", () => {
    expect(mysqlDefault("TRUE", boolean())).toBe("1");
    expect(mysqlDefault("FALSE", boolean())).toBe("0");
    expect(mysqlDefault("1.5", numeric(10, 2))).toBe("1.50");
    expect(mysqlDefault("-2", numeric(10, 2))).toBe("-2.00");
    expect(mysqlDefault("'3'", integer())).toBe("3");
    expect(mysqlDefault("(now())", dateTime())).toBe("CURRENT_TIMESTAMP");
    expect(mysqlDefault("CURRENT_DATE", dateTime())).toBe("CURRENT_DATE");
    expect(mysqlDefault("curtime()", dateTime())).toBe("CURRENT_TIME");
    expect(mysqlDefault("'x'", string(3))).toBe("'x'");
  });

  it("removes backticks around plain names only, strings untouched", () => {
    expect(unquoteIdentifiers("`a` > 0 AND `my col` = '`b`'")).toBe("a > 0 AND `my col` = '`b`'");
    expect(unquoteIdentifiers("(`c` <> _utf8mb4'x' AND my_utf8 = '_latin1''y')")).toBe(
      "(c <> 'x' AND my_utf8 = '_latin1''y')",
    );
  });
});
