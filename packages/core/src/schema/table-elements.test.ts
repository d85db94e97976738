import { describe, expect, it } from "vitest";
import { dateTime, integer, string, time } from "./column-type.js";
import { sql } from "./sql-expression.js";
import { check, column, foreignKey, index, primaryKey, unique } from "./table-elements.js";
import { table } from "./table.js";

/** Options objects typed loosely, as a JavaScript migration or a cast would pass them. */
const loose = <T>(value: Record<string, unknown>): T => value as T;

describe("options of the table elements", () => {
  it("rejects a misspelt column option, naming the column and the closest option", () => {
    expect(() => column("id", integer(), loose({ nullabel: false }))).toThrow(
      `Unknown option 'nullabel' in column("id", ...): did you mean 'nullable'? Valid options: nullable, primaryKey, autoincrement, serverDefault, references, unique, index, comment, computed`,
    );
  });

  it("accepts every documented column option, and known keys left undefined", () => {
    const definition = column("user_id", integer(), {
      nullable: false,
      primaryKey: undefined,
      autoincrement: false,
      serverDefault: 0,
      references: { table: "users", column: "id", onDelete: "CASCADE", onUpdate: undefined },
      unique: true,
      index: true,
      comment: "owner",
      computed: undefined,
    });
    expect(definition.options.nullable).toBe(false);
  });

  it("checks the references object of a column", () => {
    expect(() =>
      column("user_id", integer(), loose({ references: { table: "users", column: "id", onDelte: "CASCADE" } })),
    ).toThrow(`Unknown option 'onDelte' in references of column("user_id", ...): did you mean 'onDelete'?`);
  });

  it("checks constraints, indexes, time types and table options", () => {
    expect(() => primaryKey(["a", "b"], loose({ nmae: "pk" }))).toThrow(
      `Unknown option 'nmae' in primaryKey(["a","b"], ...): did you mean 'name'? Valid options: name`,
    );
    expect(() => unique("email", loose({ nam: "uq" }))).toThrow(`in unique("email", ...): did you mean 'name'?`);
    expect(() => check(sql`a > 0`, loose({ name: "ck", deferrable: true }))).toThrow(
      "Unknown option 'deferrable' in check(sql`a > 0`, ...). Valid options: name",
    );
    expect(() => foreignKey("user_id", "users", "id", loose({ ondelete: "CASCADE" }))).toThrow(
      `Unknown option 'ondelete' in foreignKey("user_id", ...): did you mean 'onDelete'?`,
    );
    expect(() => index("ix_email", ["email"], loose({ uniqe: true }))).toThrow(
      `Unknown option 'uniqe' in index("ix_email", ...): did you mean 'unique'?`,
    );
    expect(() => dateTime(loose({ timeZone: true }))).toThrow(
      "Unknown option 'timeZone' in dateTime(...): did you mean 'timezone'?",
    );
    expect(() => time(loose({ tz: true }))).toThrow("Unknown option 'tz' in time(...). Valid options: timezone");
    expect(() => table("users", column("id", integer()), loose({ shema: "app" }))).toThrow(
      `Unknown option 'shema' in table("users", ...): did you mean 'schema'? Valid options: schema, comment`,
    );
  });

  it("builds the elements as before when the options are right", () => {
    expect(foreignKey("a_id", "a", "id", { onDelete: "CASCADE", match: "FULL" })).toMatchObject({
      onDelete: "CASCADE",
      match: "FULL",
    });
    expect(index("ix", "email", { unique: true, where: "email IS NOT NULL" })).toMatchObject({ unique: true });
    expect(dateTime({ timezone: true })).toEqual({ kind: "dateTime", timezone: true });
    expect(table("t", column("s", string(5)), { schema: "app", comment: undefined }).options.schema).toBe("app");
  });
});
