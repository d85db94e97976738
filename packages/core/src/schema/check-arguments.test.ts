import { describe, expect, it } from "vitest";
import type { OperationSink } from "../operations/operations.js";
import { Operations } from "../operations/operations.js";
import { string } from "./column-type.js";
import { column } from "./table-elements.js";

// A migration without type-checking: any argument may arrive.
// biome-ignore lint/suspicious/noExplicitAny: the point is calls TypeScript would reject
const op: any = new Operations({ run: async () => {} } as unknown as OperationSink);
// biome-ignore lint/suspicious/noExplicitAny: as above
const col: any = column;

describe("argument checks of op.* and column(...)", () => {
  it.each([
    [
      () => op.addColumn("users", "email"),
      'op.addColumn("users", ...): the column must be column(...), got the string "email"',
    ],
    [
      () => op.createIndex("ix_u", "users"),
      'op.createIndex("ix_u", ...): columns must be a column name or an array of column names or sql`...` expressions, got undefined',
    ],
    [
      () => op.createForeignKey("fk", "users", "t3", ["id"]),
      'op.createForeignKey("fk", ...): remoteColumns must be an array of column names, got undefined',
    ],
    [() => op.dropColumn("users"), 'op.dropColumn("users", ...): the column name must be a string, got undefined'],
    [() => op.execute(42), "op.execute(...): the statement must be a string or sql`...`, got the number 42"],
    [
      () => op.bulkInsert("users", "abc"),
      'op.bulkInsert("users", ...): rows must be an array of objects (one per row), got the string "abc"',
    ],
    [() => op.bulkInsert("users", [1]), "rows[0] must be an object of column values, got the number 1"],
    [
      () => op.alterColumn("users", "email", { type: "text" }),
      'type must be a column type such as integer() or string(255), got the string "text"',
    ],
    [() => op.createTable("users", "id"), "each argument after the name must be column(...)"],
    [
      () => col("email", string(100), { nullable: "no" }),
      'column("email", ...): nullable must be true or false, got the string "no"',
    ],
    [
      () => col("id", string(10), "primaryKey"),
      'column("id", ...): the options must be an object ({ name: value, ... }), got the string "primaryKey"',
    ],
    [
      () => op.createIndex("ix_u", "users", ["email"], true),
      'op.createIndex("ix_u", ...): the options must be an object ({ name: value, ... }), got the boolean true',
    ],
    [
      () => op.createTableComment("t", 42),
      'op.createTableComment("t", ...): the comment must be a string, got the number 42',
    ],
    [() => op.createTable(""), 'op.createTable("", ...): the table name must not be empty, got the string ""'],
    [() => col("", string(10)), 'column("", ...): the column name must not be empty, got the string ""'],
    [
      () => op.createIndex("ix_u", "users", ["email", ""]),
      'op.createIndex("ix_u", ...): columns[1] must be a column name or sql`...`, got the string ""',
    ],
    [
      () => col("id", undefined),
      'column("id", ...): the type must be a column type such as integer() or string(255), got undefined',
    ],
  ])("%#", (call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it("takes an empty comment (it clears the table's), unlike an empty name", async () => {
    await expect(op.createTableComment("t", "")).resolves.toBeUndefined();
  });
});
