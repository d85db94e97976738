import type { AlterColumnOperation } from "../operations/operation.js";
import type { ColumnType } from "../schema/column-type.js";
import type { PlanStep } from "./plan-migration.js";
import { postgresTypeName, postgresUsing } from "./postgres-type-casts.js";
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
    ...(existing.computed === undefined ? {} : { computed: existing.computed }),
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
 * PostgreSQL a type change the server does not cast by itself gets the
 * `USING` `postgresUsing` writes (`"column"::text::"type"` to an enum,
 * `"column"::integer` from text, ...), and a comment saying that values
 * that do not convert fail it (but for an enum). The server casts the
 * column's default with an implicit or assignment cast only (`default for
 * column cannot be cast automatically`), and an enum's default left on a
 * text column keeps the old type from being dropped: with such a type
 * change, or one to or from an enum, the default is dropped by an
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
  // Likewise GENERATED ALWAYS AS (...): without it a MODIFY makes the column a plain one, its values frozen.
  const computed = from.computed === undefined ? {} : { existingComputed: from.computed };
  const type = changes.type as ColumnType | undefined;
  const needed =
    dialect === "postgresql" && type !== undefined
      ? postgresUsing(first.column, from.type, type, first.schema)
      : undefined;
  // PostgreSQL recomputes a generated column of a new type, and refuses USING for it.
  const using = from.computed === undefined ? needed : undefined;
  const enumChange = type !== undefined && (from.type.kind === "enum" || type.kind === "enum");
  const moveDefault =
    dialect === "postgresql" &&
    type !== undefined &&
    from.serverDefault !== null &&
    (enumChange || using !== undefined);
  const steps: PlanStep[] = [];
  const noCast =
    needed === undefined
      ? undefined
      : `review: PostgreSQL does not cast ${postgresTypeName(from.type, first.schema)} to ${postgresTypeName(type as ColumnType, first.schema)} by itself`;
  if (noCast !== undefined && using === undefined) {
    steps.push({
      kind: "comment",
      text: `${noCast}, and refuses USING for a generated column: this fails; drop ${first.column} and add it again instead`,
    });
  } else if (noCast !== undefined && !enumChange) {
    steps.push({
      kind: "comment",
      text: `${noCast}; USING converts each value and fails on one that does not convert`,
    });
  }
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
    ...computed,
    ...(using === undefined ? {} : { dialectOptions: { postgresql: { using } } }),
    ...at,
  } as AlterColumnOperation);
  return steps;
}
