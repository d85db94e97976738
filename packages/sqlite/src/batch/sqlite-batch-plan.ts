import type {
  BatchAlterTableOperation,
  BatchStep,
  CompiledStatement,
  ConstraintDefinition,
  Dialect,
  NamingConvention,
  TableDefinition,
} from "@retort/core";
import { conventionName } from "@retort/core/dialect";
import { SqliteUnsupportedOperationError } from "../sqlite-errors.js";
import { BatchTableModel } from "./sqlite-batch-model.js";
import type { BatchConstraint, BatchPrimaryKey, BatchTable } from "./sqlite-batch-types.js";
import { SqliteBatchError } from "./sqlite-batch-types.js";
import { deferrableText } from "./sqlite-batch-uses.js";

/** What a batch block turns into: plain statements, or a rebuild. */
export type BatchPlan =
  | { readonly mode: "alter"; readonly statements: readonly CompiledStatement[] }
  | { readonly mode: "recreate" };

const inPlaceKinds = new Set<BatchStep["kind"]>(["addColumn", "createIndex", "dropIndex"]);

/**
 * Decides between ALTER and move-and-copy (alembic.md §6.1 step 2, §5.3):
 * `auto` rebuilds unless every step is an addColumn / createIndex /
 * dropIndex the compiler accepts in place (an addColumn with an expression
 * default, a UNIQUE or a placement needs the rebuild); `always` rebuilds;
 * `never` compiles every step, failing as the plain operation would.
 */
export function planBatch(operation: BatchAlterTableOperation, dialect: Dialect): BatchPlan {
  const recreate = operation.options.recreate ?? "auto";
  if (!["auto", "always", "never"].includes(recreate)) {
    throw new SqliteBatchError("recreate may be one of 'auto', 'always', or 'never'.");
  }
  if (operation.schema !== undefined) {
    throw new SqliteUnsupportedOperationError(
      operation.kind,
      `SQLite has no schemas: batchAlterTable("${operation.table}") was given schema "${operation.schema}"`,
    );
  }
  if (operation.options.partialReordering !== undefined && recreate !== "always") {
    throw new SqliteBatchError("partialReordering requires recreate: 'always' (as in Alembic)");
  }
  if (recreate === "always") return { mode: "recreate" };
  const placed = operation.steps.some((step) => "insertBefore" in step || "insertAfter" in step);
  if (recreate === "never") {
    if (placed) {
      throw new SqliteBatchError(
        "Can't specify insertBefore or insertAfter when using ALTER; please specify recreate: 'always'",
      );
    }
    return { mode: "alter", statements: operation.steps.flatMap((step) => dialect.compile(step)) };
  }
  if (placed || !operation.steps.every((step) => inPlaceKinds.has(step.kind))) return { mode: "recreate" };
  try {
    return { mode: "alter", statements: operation.steps.flatMap((step) => dialect.compile(step)) };
  } catch (error) {
    if (error instanceof SqliteUnsupportedOperationError) return { mode: "recreate" };
    throw error;
  }
}

/**
 * Applies the batch options and steps to the table as it is (reflected, or
 * from `copyFrom`) and returns the table to build: `reflectArgs` override
 * columns, `namingConvention` names unnamed constraints, the steps run in
 * order, `tableArgs` add constraints, `partialReordering` sets the order.
 */
export function applyBatchSteps(
  source: BatchTable,
  operation: BatchAlterTableOperation,
  dialect: Pick<Dialect, "quoteIdentifier" | "renderLiteral">,
): BatchTable {
  const { options } = operation;
  const model = new BatchTableModel(source, dialect, { partialReordering: options.partialReordering !== undefined });
  for (const column of options.reflectArgs ?? []) model.overrideColumn(column);
  if (options.namingConvention !== undefined) {
    const convention = options.namingConvention;
    model.nameConstraints((constraint, kind) => batchConventionName(convention, source.name, constraint, kind));
  }
  for (const step of operation.steps) model.apply(step);
  for (const constraint of options.tableArgs ?? []) addDeclaredConstraint(model, constraint);
  return model.result(options.partialReordering);
}

/** The batch model of a declared table (`copyFrom`): every column is copied from itself. */
export function tableFromDefinition(
  table: TableDefinition,
  dialect: Pick<Dialect, "quoteIdentifier" | "renderLiteral">,
): BatchTable {
  const model = new BatchTableModel(
    { name: table.name, columns: [], primaryKey: undefined, constraints: [], indexes: [], tableOptions: "" },
    dialect,
  );
  for (const column of table.columns) model.addColumn(column);
  for (const constraint of table.constraints) addDeclaredConstraint(model, constraint);
  for (const index of table.indexes) model.apply({ ...index, kind: "createIndex", table: table.name });
  const built = model.result();
  const autoincrement = table.columns.find((column) => column.options.autoincrement === true);
  const primaryKey =
    built.primaryKey === undefined
      ? undefined
      : {
          ...built.primaryKey,
          autoincrement: autoincrement !== undefined && built.primaryKey.columns.length === 1,
        };
  return {
    ...built,
    primaryKey,
    columns: built.columns.map((column) => ({
      ...column,
      source: column.generated === undefined ? column.name : undefined,
      sourceType: column.type,
    })),
  };
}

function addDeclaredConstraint(model: BatchTableModel, constraint: ConstraintDefinition): void {
  switch (constraint.kind) {
    case "primaryKey":
      model.setPrimaryKey(constraint.columns, constraint.name);
      return;
    case "unique":
      model.addConstraint({ kind: "unique", name: constraint.name, columns: constraint.columns });
      return;
    case "check": {
      const condition = typeof constraint.condition === "string" ? constraint.condition : constraint.condition.text;
      model.addConstraint({ kind: "check", name: constraint.name, condition });
      return;
    }
    case "foreignKey": {
      const deferrable = deferrableText(constraint.deferrable, constraint.initially);
      model.addConstraint({
        kind: "foreignKey",
        name: constraint.name,
        columns: constraint.columns,
        referredTable: constraint.referredTable,
        referredColumns: constraint.referredColumns,
        onDelete: constraint.onDelete,
        onUpdate: constraint.onUpdate,
        match: constraint.match,
        deferrable,
      });
      return;
    }
  }
}

const conventionKey: Record<string, keyof NamingConvention> = {
  unique: "uq",
  foreignKey: "fk",
  check: "ck",
  primaryKey: "pk",
};

/**
 * The name a batch's naming convention gives an unnamed constraint of the
 * reflected table: SQLAlchemy's tokens, as `conventionName` of
 * @retort/core fills them (autogenerate's declared schema uses the same).
 * A template it cannot fill (`%(constraint_name)s` for an unnamed
 * constraint) leaves the constraint unnamed.
 */
export function batchConventionName(
  convention: NamingConvention,
  table: string,
  constraint: BatchConstraint | BatchPrimaryKey,
  kind: string,
): string | undefined {
  const template = convention[conventionKey[kind] as keyof NamingConvention];
  const columns = "columns" in constraint ? constraint.columns : [];
  const referred =
    "referredTable" in constraint
      ? { table: constraint.referredTable, columns: constraint.referredColumns }
      : undefined;
  return conventionName(template, table, columns, referred);
}
