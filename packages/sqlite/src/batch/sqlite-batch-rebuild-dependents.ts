import type Database from "better-sqlite3";
import {
  brokenObjectMessage,
  type ColumnChanges,
  dependentAdvice,
  parseSchemaError,
  type TargetColumn,
  validationSql,
} from "./sqlite-batch-dependents.js";
import type { Emit, Step } from "./sqlite-batch-rebuild.js";
import { readSchemaObjects } from "./sqlite-batch-reflect.js";
import { type ColumnRenamePlan, withRealNames } from "./sqlite-batch-renames.js";
import { quoteName } from "./sqlite-batch-sql.js";
import { reasonOf, type SchemaObject, SqliteBatchError } from "./sqlite-batch-types.js";

/** A trigger's or view's key: type and lower-cased name. */
export const objectKey = (object: SchemaObject) => `${object.type}:${object.name.toLowerCase()}`;

/**
 * Runs `run` with `legacy_alter_table` set to `on`: on the scratch database
 * now, and as PRAGMA statements around what `run` emits (only when the
 * connection's setting differs).
 */
export function withLegacyAlterTable<T>(
  scratch: Database.Database,
  on: boolean,
  before: boolean,
  emit: Emit,
  run: () => T,
): T {
  const switched = on !== before;
  scratch.pragma(`legacy_alter_table = ${on ? "ON" : "OFF"}`);
  if (switched) emit("switching legacy_alter_table", `PRAGMA legacy_alter_table = ${on ? "ON" : "OFF"}`);
  try {
    return run();
  } finally {
    scratch.pragma(`legacy_alter_table = ${before ? "ON" : "OFF"}`);
    if (switched) emit("switching legacy_alter_table back", `PRAGMA legacy_alter_table = ${before ? "ON" : "OFF"}`);
  }
}

/**
 * Renames the old table's columns to their new names with SQLite's own
 * `ALTER TABLE RENAME COLUMN` (legacy_alter_table OFF), which rewrites every
 * trigger, view and foreign key that uses them, resolving names as SQLite
 * does, and checks the whole schema after each rename. A trigger or view
 * that was already broken before (SQLite's message then lacks "after
 * rename") is set aside and returned, to be put back as it was at the end;
 * one the rename breaks (a view selecting the column through another view)
 * fails the batch.
 */
export function renameColumns(
  database: Database.Database,
  table: string,
  plan: ColumnRenamePlan,
  legacy: boolean,
  emit: Emit,
): SchemaObject[] {
  const setAside: SchemaObject[] = [];
  if (plan.steps.length === 0) return setAside;
  const real = (text: string) => withRealNames(text, plan.temporaryNames);
  withLegacyAlterTable(database, false, legacy, emit, () => {
    for (const rename of plan.steps) {
      for (;;) {
        let reason: string;
        try {
          database.exec(rename.sql);
          emit(real(rename.label), rename.sql);
          break;
        } catch (error) {
          reason = reasonOf(error);
        }
        const broken = parseSchemaError(reason);
        if (broken !== undefined && !broken.caused && (broken.type === "view" || broken.type === "trigger")) {
          const objects = readSchemaObjects(database);
          const object = objects.find(
            (candidate) => candidate.type === broken.type && candidate.name.toLowerCase() === broken.name.toLowerCase(),
          );
          if (object !== undefined) {
            const onIt = objects.filter(
              (candidate) =>
                object.type === "view" &&
                candidate.type === "trigger" &&
                candidate.tableName.toLowerCase() === object.name.toLowerCase(),
            );
            for (const each of [...onIt, object]) {
              const drop = `DROP ${each.type.toUpperCase()} ${quoteName(each.name)}`;
              database.exec(drop);
              emit(`setting aside ${each.type} "${each.name}", broken before the batch`, drop);
            }
            setAside.push(object, ...onIt);
            continue;
          }
        }
        const what = real(rename.label);
        const detail =
          broken === undefined
            ? real(reason)
            : `${broken.type} "${broken.name}" no longer compiles after it: ${real(broken.reason)}. SQLite rewrites the triggers and views that name the column, but not one that reaches it through another view or trigger. ` +
              dependentAdvice([
                { type: broken.type as SchemaObject["type"], name: broken.name, tableName: "", sql: "" },
              ]);
        throw new SqliteBatchError(
          `Batch rebuild of "${table}" failed while ${what}: ${detail}\n  SQL: ${real(rename.sql)}`,
          {
            cause: reason,
          },
        );
      }
    }
  });
  return setAside;
}

/** The columns of a table or view, as `PRAGMA table_xinfo` lists them. */
function targetColumns(database: Database.Database, table: string): TargetColumn[] {
  const rows = database.prepare(`PRAGMA table_xinfo(${quoteName(table)})`).all() as { name: string; hidden: number }[];
  return rows.map((row) => ({ name: row.name, generated: row.hidden === 2 || row.hidden === 3 }));
}

/** SQLite's error when it compiles the object against the tables as they are, or undefined. */
export function compileError(database: Database.Database, object: SchemaObject): string | undefined {
  const sql = validationSql(object, (name) => targetColumns(database, name));
  if (sql === undefined) return undefined;
  try {
    database.prepare(sql);
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

/**
 * Re-creates the dropped triggers and views from their (rewritten) SQL and
 * checks that each still compiles: views are created first, then triggers
 * one at a time, each checked as it is created, so a failure names the
 * trigger that caused it. Every failure is collected; any fails the batch,
 * naming the object and the column, and the savepoint undoes it all.
 */
export function recreateDependents(
  database: Database.Database,
  table: string,
  dependents: readonly SchemaObject[],
  compiledBefore: ReadonlySet<string>,
  changes: ColumnChanges,
  step: Step,
): void {
  const failures: { object: SchemaObject; message: string }[] = [];
  const check = (object: SchemaObject): boolean => {
    if (!compiledBefore.has(objectKey(object))) return true;
    const error = compileError(database, object);
    if (error === undefined) return true;
    failures.push({ object, message: brokenObjectMessage(object, error, changes) });
    return false;
  };
  const views = dependents.filter((object) => object.type === "view");
  for (const view of views) step(`re-creating view "${view.name}"`, view.sql);
  for (const trigger of dependents.filter((object) => object.type === "trigger")) {
    step(`re-creating trigger "${trigger.name}"`, trigger.sql);
    // Dropped again when it fails, so the next trigger on the table is checked on its own.
    if (!check(trigger)) database.exec(`DROP TRIGGER ${quoteName(trigger.name)}`);
  }
  for (const view of views) check(view);
  if (failures.length === 0) return;
  throw new SqliteBatchError(
    `Batch rebuild of "${table}" failed: ${failures.map((failure) => failure.message).join("; ")}. ` +
      dependentAdvice(failures.map((failure) => failure.object)),
  );
}
