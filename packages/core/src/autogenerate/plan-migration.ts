import type { BatchStep } from "../operations/batch-operation.js";
import type { Operation } from "../operations/operation.js";
import { reverseOperation } from "../operations/reverse-operation.js";
import type { ColumnDefinition, ColumnOptions, IndexDefinition } from "../schema/table-elements.js";
import type { TableDefinition } from "../schema/table.js";
import { normalizeTable } from "./compare-schemas.js";
import {
  createEnum,
  dropEnum,
  eachEnumCreatedOnce,
  enumKey,
  enumKeys,
  enumsUsed,
  qualified,
  sqlLiteral,
} from "./plan-enums.js";
import type { SchemaDiff } from "./schema-diff.js";
import { alterPair } from "./plan-column-change.js";
import { UNNAMED_FOREIGN_KEY_CONVENTION } from "./naming-convention.js";

/** A line of explanation in a generated migration (a rename that cannot be seen, an irreversible change). */
export interface CommentStep {
  readonly kind: "comment";
  readonly text: string;
}

export type PlanStep = Operation | CommentStep;

export interface MigrationPlan {
  readonly upgrade: readonly PlanStep[];
  readonly downgrade: readonly PlanStep[];
}

export interface PlanOptions {
  /** False on SQLite: each changed table's operations go in one `op.batchAlterTable` block. */
  readonly alterInPlace: boolean;
  /** PostgreSQL: enum types are created and dropped with `CREATE TYPE` / `DROP TYPE`. */
  readonly dialect: string;
  /**
   * The dialect has schemas: a foreign key's referred table written
   * `schema.table` (as a table declares it, and as the introspector reads a
   * table of another schema) is `op.createForeignKey`'s referent table and
   * `referentSchema`, the way `createTable` reads it.
   */
  readonly schemas?: boolean;
}

const BATCH_KINDS = new Set<string>([
  "addColumn",
  "dropColumn",
  "alterColumn",
  "createIndex",
  "dropIndex",
  "createUniqueConstraint",
  "createForeignKey",
  "createCheckConstraint",
  "createPrimaryKey",
  "dropConstraint",
  "createTableComment",
  "dropTableComment",
]);

/**
 * Turns differences into the operations of a migration: `upgrade` applies
 * them, `downgrade` undoes them in reverse order. Changes to one column
 * become one `alterColumn`. Foreign keys between new tables that form a
 * cycle are added after the tables. Where the database cannot alter in
 * place, each table's changes are one `batchAlterTable`.
 */
export function planMigration(diffs: readonly SchemaDiff[], options: PlanOptions): MigrationPlan {
  const pairs: { up: PlanStep[]; down: PlanStep[] }[] = [];
  const created = new Set<string>();
  const addedTables = new Set(diffs.flatMap((diff) => (diff.kind === "add_table" ? [diff.table.name] : [])));
  const deferredFks: { up: PlanStep[]; down: PlanStep[] }[] = [];
  const enumUsers = enumsUsed(diffs);
  for (let index = 0; index < diffs.length; index++) {
    const diff = diffs[index] as SchemaDiff;
    if (isColumnChange(diff)) {
      const group: SchemaDiff[] = [diff];
      while (index + 1 < diffs.length && sameColumn(diffs[index + 1] as SchemaDiff, diff))
        group.push(diffs[++index] as SchemaDiff);
      pairs.push(alterPair(group, options.dialect));
      continue;
    }
    if (diff.kind === "add_table") {
      const { table, later } = withoutForwardReferences(diff.table, created, addedTables, options);
      created.add(diff.table.name);
      const create: Operation = { kind: "createTable", table };
      pairs.push({ up: [create], down: [reverseOf(create, dropTable(diff.table))] });
      deferredFks.push(...later);
      continue;
    }
    pairs.push(pairFor(diff, enumUsers, options));
  }
  if (deferredFks.length > 0) {
    const firstChange = pairs.findIndex(
      (pair, position) => position > 0 && !pair.up.some((step) => step.kind === "createTable"),
    );
    pairs.splice(firstChange < 0 ? pairs.length : firstChange, 0, ...deferredFks);
  }
  let upgrade = pairs.flatMap((pair) => pair.up);
  let downgrade = [...pairs].reverse().flatMap((pair) => pair.down);
  if (options.dialect === "postgresql") {
    upgrade = eachEnumCreatedOnce(upgrade, enumKeys(diffs, "add_enum"));
    downgrade = eachEnumCreatedOnce(downgrade, enumKeys(diffs, "remove_enum"));
  }
  const hints = renameHints(diffs);
  return {
    upgrade: [...hints, ...(options.alterInPlace ? upgrade : batched(upgrade))],
    downgrade: options.alterInPlace ? downgrade : batched(downgrade),
  };
}

function pairFor(
  diff: SchemaDiff,
  enumUsers: Set<string>,
  options: Pick<PlanOptions, "schemas">,
): { up: PlanStep[]; down: PlanStep[] } {
  const at = "schema" in diff && diff.schema !== undefined ? { schema: diff.schema } : {};
  switch (diff.kind) {
    case "remove_table": {
      // Indexes with a method or INCLUDE columns (PostgreSQL) are recreated on their own, where those options fit.
      const special = diff.table.indexes.filter(hasIndexOptions);
      const at = diff.table.options.schema === undefined ? {} : { schema: diff.table.options.schema };
      const table = { ...diff.table, indexes: diff.table.indexes.filter((index) => !hasIndexOptions(index)) };
      return {
        up: [dropTable(diff.table)],
        down: [{ kind: "createTable", table }, ...special.map((index) => createIndex(diff.table.name, index, at))],
      };
    }
    case "add_column": {
      const add: Operation = { kind: "addColumn", table: diff.table, column: plainColumn(diff.column), ...at };
      const drop: Operation = {
        kind: "dropColumn",
        table: diff.table,
        column: diff.column.name,
        existingType: diff.column.type,
        ...at,
      };
      return { up: [add], down: [reverseOf(add, drop)] };
    }
    case "remove_column":
      return {
        up: [
          { kind: "dropColumn", table: diff.table, column: diff.column.name, existingType: diff.column.type, ...at },
        ],
        down: [{ kind: "addColumn", table: diff.table, column: plainColumn(diff.column), ...at }],
      };
    case "add_index":
      return {
        up: [createIndex(diff.table, diff.index, at)],
        down: [reverseOf(createIndex(diff.table, diff.index, at), dropIndex(diff.table, diff.index.name, at))],
      };
    case "remove_index":
      return { up: [dropIndex(diff.table, diff.index.name, at)], down: [createIndex(diff.table, diff.index, at)] };
    case "add_constraint":
    case "remove_constraint": {
      const constraint = diff.constraint;
      const create: Operation =
        constraint.kind === "unique"
          ? {
              kind: "createUniqueConstraint",
              name: constraint.name,
              table: diff.table,
              columns: constraint.columns,
              ...at,
            }
          : {
              kind: "createCheckConstraint",
              name: constraint.name,
              table: diff.table,
              condition: constraint.condition,
              ...at,
            };
      const drop: Operation = {
        kind: "dropConstraint",
        name: constraint.name,
        table: diff.table,
        type: constraint.kind === "unique" ? "unique" : "check",
        ...at,
      };
      return diff.kind === "add_constraint"
        ? { up: [create], down: [reverseOf(create, drop)] }
        : { up: [drop], down: [create] };
    }
    case "add_fk":
    case "remove_fk": {
      const fk = diff.foreignKey;
      const dot = options.schemas === true ? fk.referredTable.indexOf(".") : -1;
      const referent =
        dot > 0 && dot < fk.referredTable.length - 1
          ? { referentTable: fk.referredTable.slice(dot + 1), referentSchema: fk.referredTable.slice(0, dot) }
          : { referentTable: fk.referredTable };
      const create: Operation = {
        kind: "createForeignKey",
        name: fk.name,
        sourceTable: diff.table,
        ...referent,
        localColumns: fk.columns,
        remoteColumns: fk.referredColumns,
        ...(fk.onDelete === undefined ? {} : { onDelete: fk.onDelete }),
        ...(fk.onUpdate === undefined ? {} : { onUpdate: fk.onUpdate }),
        ...(fk.deferrable === undefined ? {} : { deferrable: fk.deferrable }),
        ...(fk.initially === undefined ? {} : { initially: fk.initially }),
        ...(fk.match === undefined ? {} : { match: fk.match }),
        ...(diff.schema === undefined ? {} : { sourceSchema: diff.schema }),
      };
      const drop: Operation = { kind: "dropConstraint", name: fk.name, table: diff.table, type: "foreignkey", ...at };
      if (diff.kind === "remove_fk" && diff.unnamed === true) unnamedDrops.add(drop);
      return diff.kind === "add_fk"
        ? { up: [create], down: [reverseOf(create, drop)] }
        : { up: [drop], down: [create] };
    }
    case "add_table_comment": {
      const up: Operation = {
        kind: "createTableComment",
        table: diff.table,
        comment: diff.comment,
        existingComment: diff.existing,
        ...at,
      };
      return { up: [up], down: [reverseOperation(up) as Operation] };
    }
    case "remove_table_comment": {
      const up: Operation = { kind: "dropTableComment", table: diff.table, existingComment: diff.existing, ...at };
      return { up: [up], down: [reverseOperation(up) as Operation] };
    }
    case "add_enum": {
      // The first table or column that uses the type creates it (CREATE TYPE); the downgrade drops it.
      const create = enumUsers.has(enumKey(diff.name, diff.schema)) ? [] : [createEnum(diff)];
      return { up: create, down: [dropEnum(diff)] };
    }
    case "remove_enum":
      return {
        up: [dropEnum(diff)],
        down: enumUsers.has(enumKey(diff.name, diff.schema)) ? [] : [createEnum(diff)],
      };
    case "add_enum_value": {
      const position = diff.before === undefined ? "" : ` BEFORE ${sqlLiteral(diff.before)}`;
      return {
        up: [
          {
            kind: "execute",
            // IF NOT EXISTS: the downgrade cannot remove the value, and the upgrade runs again after it.
            sql: `ALTER TYPE ${qualified(diff.name, diff.schema)} ADD VALUE IF NOT EXISTS ${sqlLiteral(diff.value)}${position}`,
          },
        ],
        down: [
          {
            kind: "comment",
            text: `PostgreSQL cannot remove the value ${sqlLiteral(diff.value)} from enum type ${diff.name}: it stays (the upgrade adds it IF NOT EXISTS)`,
          },
        ],
      };
    }
    default:
      throw new Error(`unexpected diff ${diff.kind}`);
  }
}

/**
 * The reverse of an operation that adds something, by `reverseOperation`
 * (the operations' own reverses); `fallback` where it has none.
 */
function reverseOf(operation: Operation, fallback: Operation): Operation {
  return reverseOperation(operation) ?? fallback;
}

function isColumnChange(diff: SchemaDiff): diff is Extract<SchemaDiff, { kind: `modify_${string}` }> {
  return diff.kind.startsWith("modify_");
}

function sameColumn(next: SchemaDiff, diff: Extract<SchemaDiff, { kind: `modify_${string}` }>): boolean {
  return (
    isColumnChange(next) && next.table === diff.table && next.column === diff.column && next.schema === diff.schema
  );
}

/** A column for addColumn: its foreign key, unique constraint and index come as operations of their own. */
function plainColumn(column: ColumnDefinition): ColumnDefinition {
  const { references: _r, unique: _u, index: _i, ...rest } = column.options as ColumnOptions;
  return { ...column, options: rest };
}

function dropTable(table: TableDefinition): Operation {
  return {
    kind: "dropTable",
    table: table.name,
    ...(table.options.schema === undefined ? {} : { schema: table.options.schema }),
  };
}

function hasIndexOptions(index: IndexDefinition): boolean {
  const { method, include } = index as { method?: string; include?: readonly string[] };
  return (method !== undefined && method !== "btree") || (include !== undefined && include.length > 0);
}

function createIndex(table: string, index: IndexDefinition, at: { schema?: string }): Operation {
  const { method, include } = index as { method?: string; include?: readonly string[] };
  const postgresql = {
    ...(method !== undefined && method !== "btree" ? { using: method } : {}),
    ...(include !== undefined && include.length > 0 ? { include } : {}),
  };
  // The blocks the index carries (a declared index's, or MySQL's prefix lengths read back), PostgreSQL's method and INCLUDE added.
  const blocks = { ...index.dialectOptions };
  if (Object.keys(postgresql).length > 0) blocks.postgresql = { ...blocks.postgresql, ...postgresql };
  return {
    kind: "createIndex",
    name: index.name,
    table,
    columns: index.columns,
    ...(index.unique ? { unique: true } : {}),
    ...(index.where === undefined ? {} : { where: index.where }),
    ...(Object.keys(blocks).length > 0 ? { dialectOptions: blocks } : {}),
    ...at,
  };
}

function dropIndex(table: string, name: string, at: { schema?: string }): Operation {
  return { kind: "dropIndex", name, table, ...at };
}

/**
 * A new table whose foreign key refers to a new table created after it (a
 * cycle) is created without that key; the key is added once both exist.
 */
function withoutForwardReferences(
  table: TableDefinition,
  created: ReadonlySet<string>,
  added: ReadonlySet<string>,
  options: Pick<PlanOptions, "schemas">,
): { table: TableDefinition; later: { up: PlanStep[]; down: PlanStep[] }[] } {
  const forward = (referred: string) => added.has(referred) && !created.has(referred) && referred !== table.name;
  const later: { up: PlanStep[]; down: PlanStep[] }[] = [];
  const fks = normalizeTable(table).foreignKeys.filter((fk) => forward(fk.referredTable));
  if (fks.length === 0) return { table, later };
  const at = table.options.schema === undefined ? {} : { schema: table.options.schema };
  for (const fk of fks) {
    const name = fk.name ?? `fk_${table.name}_${fk.columns.join("_")}_${fk.referredTable}`;
    const diff: SchemaDiff = { kind: "add_fk", ...at, table: table.name, foreignKey: { ...fk, name } };
    later.push(pairFor(diff, new Set(), options));
  }
  return {
    table: {
      ...table,
      columns: table.columns.map((column) => {
        const reference = column.options.references;
        if (reference === undefined) return column;
        const referred =
          typeof reference === "string" ? reference.slice(0, reference.lastIndexOf(".")) : reference.table;
        if (!forward(referred)) return column;
        const { references: _drop, ...options } = column.options;
        return { ...column, options };
      }),
      constraints: table.constraints.filter(
        (constraint) => !(constraint.kind === "foreignKey" && forward(constraint.referredTable)),
      ),
    },
    later,
  };
}

/**
 * The drops of foreign keys the database keeps without a name: their
 * batch names them first (`UNNAMED_FOREIGN_KEY_CONVENTION`).
 */
const unnamedDrops = new WeakSet<Operation>();

/**
 * Consecutive operations on one table become one batch block; a block
 * that drops a foreign key kept without a name gets the naming convention
 * that names it.
 */
function batched(steps: readonly PlanStep[]): PlanStep[] {
  const result: PlanStep[] = [];
  for (const step of steps) {
    if (!BATCH_KINDS.has(step.kind)) {
      result.push(step);
      continue;
    }
    const table = stepTable(step as BatchStep);
    const schema = (step as { schema?: string }).schema;
    const convention = unnamedDrops.has(step as Operation)
      ? { namingConvention: { fk: UNNAMED_FOREIGN_KEY_CONVENTION } }
      : {};
    const previous = result[result.length - 1];
    if (previous?.kind === "batchAlterTable" && previous.table === table && previous.schema === schema) {
      result[result.length - 1] = {
        ...previous,
        options: { ...previous.options, ...convention },
        steps: [...previous.steps, step as BatchStep],
      };
    } else {
      result.push({
        kind: "batchAlterTable",
        table,
        ...(schema === undefined ? {} : { schema }),
        options: convention,
        steps: [step as BatchStep],
      });
    }
  }
  return result;
}

function stepTable(step: BatchStep): string {
  if (step.kind === "createForeignKey") return step.sourceTable;
  return step.table as string;
}

function renameHints(diffs: readonly SchemaDiff[]): CommentStep[] {
  const hints: CommentStep[] = [];
  const addedTables = diffs.filter((diff) => diff.kind === "add_table");
  const removedTables = diffs.filter((diff) => diff.kind === "remove_table");
  if (addedTables.length > 0 && removedTables.length > 0) {
    hints.push({
      kind: "comment",
      text: "A table rename cannot be detected: it shows as a drop and a create. If this is one, use op.renameTable instead.",
    });
  }
  const tables = new Set(diffs.flatMap((diff) => (diff.kind === "add_column" ? [diff.table] : [])));
  for (const table of tables) {
    if (diffs.some((diff) => diff.kind === "remove_column" && diff.table === table)) {
      hints.push({
        kind: "comment",
        text: `A column rename cannot be detected: on ${table} it shows as a drop and an add. If this is one, use op.alterColumn(table, column, { newColumnName }) instead.`,
      });
    }
  }
  return hints;
}
