import type { AlterColumnOperation } from "../operations/operation.js";
import { type ColumnType, enumSchemaOf } from "../schema/column-type.js";
import type { PlanStep } from "./plan-migration.js";
import { qualified } from "./plan-enums.js";
import type { ExistingColumn, SchemaDiff } from "./schema-diff.js";

/**
 * The upgrade's and the downgrade's `alterColumn`s for one column's
 * changes (`group`: its `modify_*` diffs, the first a `modify_type` or
 * another `modify_*` with the column as it exists).
 */
export function alterPair(group: readonly SchemaDiff[], dialect: string): { up: PlanStep[]; down: PlanStep[] } {
  const first = group[0] as Extract<SchemaDiff, { kind: "modify_type" }>;
  const existing = first.existing;
  const up: Record<string, unknown> = {};
  const down: Record<string, unknown> = {};
  for (const diff of group) {
    if (diff.kind === "modify_type") [up.type, down.type] = [diff.to, diff.from];
    if (diff.kind === "modify_nullable") [up.nullable, down.nullable] = [diff.to, diff.from];
    if (diff.kind === "modify_default") [up.serverDefault, down.serverDefault] = [diff.to, diff.from];
    if (diff.kind === "modify_comment") [up.comment, down.comment] = [diff.to, diff.from];
  }
  const before: ColumnState = existing;
  const after: ColumnState = {
    type: (up.type ?? existing.type) as ColumnType,
    nullable: (up.nullable ?? existing.nullable) as boolean,
    serverDefault: ("serverDefault" in up ? up.serverDefault : existing.serverDefault) as ColumnState["serverDefault"],
    comment: ("comment" in up ? up.comment : existing.comment) as string | null,
    ...(existing.autoincrement === true ? { autoincrement: true as const } : {}),
  };
  return {
    up: alterSteps(first, up, before, after, dialect),
    down: alterSteps(first, down, after, before, dialect),
  };
}

/** A column's type, nullability, default and comment, before or after an `alterColumn`. */
type ColumnState = ExistingColumn;

/**
 * The `alterColumn` that takes a column from `from` to `to` (`changes`:
 * what it sets), with the existing values it does not change. On
 * PostgreSQL a change to an enum type has no cast the server applies by
 * itself (from another enum, from text or varchar): the type change gets
 * `USING "column"::text::"type"`. The server cannot cast the column's
 * default to or from an enum either (`default for column cannot be cast
 * automatically`, and an enum's default left on a text column keeps the
 * old type from being dropped): that default is dropped by an
 * `alterColumn` of its own first, and set again by the type change.
 */
function alterSteps(
  first: Extract<SchemaDiff, { kind: `modify_${string}` }>,
  changes: Record<string, unknown>,
  from: ColumnState,
  to: ColumnState,
  dialect: string,
): PlanStep[] {
  const at = first.schema === undefined ? {} : { schema: first.schema };
  const target = { kind: "alterColumn", table: first.table, column: first.column } as const;
  const existingNullable = "nullable" in changes ? {} : { existingNullable: from.nullable };
  // MySQL's MODIFY rewrites the whole column: AUTO_INCREMENT is kept only when it is said (as Alembic's autogenerate does).
  const autoincrement = from.autoincrement === true ? { existingAutoincrement: true } : {};
  const type = changes.type as ColumnType | undefined;
  const using = dialect === "postgresql" && type !== undefined ? postgresUsing(first, from.type, type) : undefined;
  const moveDefault =
    dialect === "postgresql" &&
    type !== undefined &&
    from.serverDefault !== null &&
    (from.type.kind === "enum" || type.kind === "enum");
  const steps: PlanStep[] = [];
  if (moveDefault) {
    steps.push(
      {
        kind: "comment",
        text: `PostgreSQL cannot cast the default of ${first.column} to the new type: it is dropped before the type change and set again after it`,
      },
      { ...target, serverDefault: null, existingType: from.type, ...existingNullable, ...autoincrement, ...at },
    );
  }
  const { serverDefault: _dropped, ...others } = changes;
  // With the default moved, the type change sets the one the column ends with.
  const set = moveDefault
    ? { ...others, ...(to.serverDefault === null ? {} : { serverDefault: to.serverDefault }) }
    : changes;
  steps.push({
    ...target,
    ...set,
    existingType: from.type,
    ...existingNullable,
    ...(moveDefault || "serverDefault" in changes || from.serverDefault === null
      ? {}
      : { existingServerDefault: from.serverDefault }),
    ...("comment" in changes || from.comment === null ? {} : { existingComment: from.comment }),
    ...autoincrement,
    ...(using === undefined ? {} : { dialectOptions: { postgresql: { using } } }),
    ...at,
  } as AlterColumnOperation);
  return steps;
}

/**
 * PostgreSQL's `USING` for a change of `column` from `from` to `to`, where
 * the server has no implicit or assignment cast: to an enum type from
 * anything else (another enum, text, varchar), through text. From an enum
 * to text or varchar there is an assignment cast (none is written).
 */
function postgresUsing(
  diff: { readonly column: string; readonly schema?: string | undefined },
  from: ColumnType,
  to: ColumnType,
): string | undefined {
  if (to.kind !== "enum") return undefined;
  if (
    from.kind === "enum" &&
    from.name === to.name &&
    enumSchemaOf(from, diff.schema) === enumSchemaOf(to, diff.schema)
  )
    return undefined;
  return `${qualified(diff.column, undefined)}::text::${qualified(to.name, enumSchemaOf(to, diff.schema))}`;
}
