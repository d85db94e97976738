import { parseTriggerEvent } from "./sqlite-batch-parse.js";
import { withRealNames } from "./sqlite-batch-renames.js";
import { isName, quoteName, tokenize } from "./sqlite-batch-sql.js";
import type { SchemaObject } from "./sqlite-batch-types.js";

/**
 * The triggers and views a rebuild of `table` drops and re-creates
 * (lang_altertable.html#otheralter, steps 3 and 8): the triggers on it, the
 * triggers and views whose SQL names it, and, transitively, those on or
 * naming such a view (dropping a view drops its triggers). In schema order.
 */
export function dependentObjects(objects: readonly SchemaObject[], table: string): SchemaObject[] {
  const namesIn = new Map(
    objects.map((object) => [
      object,
      new Set(
        tokenize(object.sql)
          .filter(isName)
          .map((token) => token.name.toLowerCase()),
      ),
    ]),
  );
  const targets = new Set([table.toLowerCase()]);
  const chosen = new Set<SchemaObject>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const object of objects) {
      if (chosen.has(object)) continue;
      const on = object.type === "trigger" && targets.has(object.tableName.toLowerCase());
      const names = namesIn.get(object) as Set<string>;
      if (on || [...targets].some((name) => names.has(name))) {
        chosen.add(object);
        grew = true;
        if (object.type === "view") targets.add(object.name.toLowerCase());
      }
    }
  }
  return objects.filter((object) => chosen.has(object));
}

/** A column of the table or view a trigger is on, as `PRAGMA table_xinfo` lists it. */
export interface TargetColumn {
  readonly name: string;
  readonly generated: boolean;
}

/**
 * A statement whose preparation makes SQLite compile the object against
 * the tables as they are now: `CREATE VIEW` and `CREATE TRIGGER` check
 * neither columns nor tables, a view is resolved when it is read, and a
 * trigger's body (and WHEN) when a statement that fires it is prepared.
 * The statement is only prepared, never run. An `UPDATE OF a, b` trigger
 * sets each listed column, so a listed column that is gone fails too.
 */
export function validationSql(
  object: SchemaObject,
  columnsOf: (table: string) => readonly TargetColumn[],
): string | undefined {
  if (object.type === "view") return `SELECT * FROM ${quoteName(object.name)} LIMIT 0`;
  const event = parseTriggerEvent(object.sql);
  if (event === undefined) return undefined;
  const table = quoteName(object.tableName);
  switch (event.event) {
    case "INSERT":
      return `INSERT INTO ${table} DEFAULT VALUES`;
    case "DELETE":
      return `DELETE FROM ${table}`;
    case "UPDATE": {
      const columns = columnsOf(object.tableName);
      const generated = new Set(
        columns.filter((column) => column.generated).map((column) => column.name.toLowerCase()),
      );
      const listed = event.columns.filter((column) => !generated.has(column.toLowerCase()));
      const set =
        listed.length > 0
          ? listed
          : columns
              .filter((column) => !column.generated)
              .slice(0, 1)
              .map((column) => column.name);
      if (set.length === 0) return undefined;
      return `UPDATE ${table} SET ${set.map((column) => `${quoteName(column)} = ${quoteName(column)}`).join(", ")}`;
    }
  }
}

/** What the batch did to the table's columns, to explain a trigger or view that no longer compiles. */
export interface ColumnChanges {
  /** Dropped columns, lower-cased. */
  readonly dropped: ReadonlySet<string>;
  /** Temporary names of columns moved aside during renames. */
  readonly temporaryNames: ReadonlyMap<string, string>;
}

/** `trigger "tr" uses column "email", which the batch drops (no such column: new.email)`. */
export function brokenObjectMessage(object: SchemaObject, error: string, changes: ColumnChanges): string {
  const reason = withRealNames(error, changes.temporaryNames);
  const missing = /no such column: (?:[^\s.]+\.)?("?)([^"\s]+)\1/i.exec(reason)?.[2];
  if (missing !== undefined && changes.dropped.has(missing.toLowerCase())) {
    return `${object.type} "${object.name}" uses column "${missing}", which the batch drops (${reason})`;
  }
  if (missing !== undefined)
    return `${object.type} "${object.name}" uses column "${missing}", which no longer exists (${reason})`;
  return `${object.type} "${object.name}" no longer compiles against the rebuilt table (${reason})`;
}

/** The advice that ends a failure caused by triggers or views. */
export function dependentAdvice(objects: readonly SchemaObject[]): string {
  const drops = objects.map((object) => `DROP ${object.type.toUpperCase()} ${quoteName(object.name)}`).join("; ");
  return (
    `Drop ${objects.length === 1 ? "it" : "them"} before the block (op.execute('${drops}')) and create the new version after it, in the same migration. ` +
    "The batch was rolled back: the table, its triggers and views are as they were."
  );
}

/**
 * SQLite's message when an `ALTER TABLE` finds a schema object that does
 * not compile: `error in view v2 after rename: no such column: email`.
 * `caused` is false for an object that was already broken before the
 * ALTER (no "after rename"/"after drop column").
 */
export function parseSchemaError(
  message: string,
): { type: string; name: string; caused: boolean; reason: string } | undefined {
  const match = /^error in (view|trigger|table|index) (.+?)( after (?:rename|drop column))?: (.*)$/s.exec(message);
  if (match === null) return undefined;
  return {
    type: match[1] as string,
    name: match[2] as string,
    caused: match[3] !== undefined,
    reason: match[4] as string,
  };
}
