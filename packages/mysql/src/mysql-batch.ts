import type {
  AlterColumnOperation,
  BatchAlterTableOperation,
  ColumnType,
  ExistingComputed,
  ServerDefault,
} from "@retort/core";

/** What a column is before a step, as MySQL must restate it. */
interface ColumnState {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly serverDefault: ServerDefault | null;
  readonly comment: string | null;
  readonly autoincrement: boolean;
  /** Generated (`computed`, which Retort writes STORED on MySQL). */
  readonly computed: ExistingComputed | undefined;
}

/**
 * A batch block on MySQL runs as plain ALTERs, and `alterColumn` restates
 * the whole column (`MODIFY`). When the block was given the table as it is
 * (`copyFrom`), each `alterColumn` step takes what it does not say from
 * that table, followed through the block's earlier steps (a column added,
 * dropped, renamed or altered before): the `existing*` options it would
 * otherwise need. Options the step gives win. Without `copyFrom` the block
 * is returned as it is.
 */
export function existingFromCopy(operation: BatchAlterTableOperation): BatchAlterTableOperation {
  const table = operation.options.copyFrom;
  if (table === undefined) return operation;
  const keyColumns = new Set(table.constraints.flatMap((item) => (item.kind === "primaryKey" ? item.columns : [])));
  const columns = new Map<string, ColumnState>();
  for (const column of table.columns) {
    const inKey = column.options.primaryKey === true || keyColumns.has(column.name);
    columns.set(column.name, {
      type: column.type,
      nullable: column.options.nullable ?? !inKey,
      serverDefault: column.options.serverDefault ?? null,
      comment: column.options.comment ?? null,
      autoincrement: column.options.autoincrement === true,
      computed: column.options.computed,
    });
  }
  const steps = operation.steps.map((step) => {
    if (step.kind === "addColumn") {
      const { column } = step;
      columns.set(column.name, {
        type: column.type,
        nullable: column.options.nullable ?? column.options.primaryKey !== true,
        serverDefault: column.options.serverDefault ?? null,
        comment: column.options.comment ?? null,
        autoincrement: column.options.autoincrement === true,
        computed: column.options.computed,
      });
      return step;
    }
    if (step.kind === "dropColumn") {
      columns.delete(step.column);
      return step;
    }
    if (step.kind !== "alterColumn") return step;
    const before = columns.get(step.column);
    if (before === undefined) return step;
    const filled = withExisting(step, before);
    columns.delete(step.column);
    columns.set(step.newColumnName ?? step.column, {
      type: step.type ?? before.type,
      nullable: step.nullable ?? before.nullable,
      serverDefault: step.serverDefault !== undefined ? step.serverDefault : before.serverDefault,
      comment: step.comment !== undefined ? step.comment : before.comment,
      autoincrement: step.autoincrement ?? before.autoincrement,
      computed: before.computed,
    });
    return filled;
  });
  return { ...operation, steps };
}

/** The step with each `existing*` option it leaves out taken from `before`. */
function withExisting<Step extends AlterColumnOperation>(step: Step, before: ColumnState): Step {
  return {
    ...step,
    existingType: step.existingType ?? before.type,
    existingNullable: step.existingNullable ?? before.nullable,
    existingServerDefault: step.existingServerDefault !== undefined ? step.existingServerDefault : before.serverDefault,
    existingComment: step.existingComment !== undefined ? step.existingComment : before.comment,
    existingAutoincrement: step.existingAutoincrement ?? before.autoincrement,
    ...(step.existingComputed !== undefined || before.computed === undefined
      ? {}
      : { existingComputed: before.computed }),
  };
}
