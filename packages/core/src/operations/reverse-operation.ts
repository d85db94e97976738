import { column } from "../schema/table-elements.js";
import type { Operation } from "./operation.js";

/**
 * The operation that undoes `operation` (Alembic's `reverse()`), or
 * `undefined` when it cannot be known from the operation alone (dropping a
 * table or an index without its definition, `execute`, `bulkInsert`).
 * Used to write `downgrade` bodies.
 */
export function reverseOperation(operation: Operation): Operation | undefined {
  switch (operation.kind) {
    case "createTable":
      return {
        kind: "dropTable",
        table: operation.table.name,
        ...schemaOf(operation.table.options.schema),
      };
    case "renameTable":
      return { kind: "renameTable", table: operation.newName, newName: operation.table, ...schemaOf(operation.schema) };
    case "addColumn":
      return {
        kind: "dropColumn",
        table: operation.table,
        column: operation.column.name,
        existingType: operation.column.type,
        ...schemaOf(operation.schema),
      };
    case "dropColumn":
      if (operation.existingType === undefined) return undefined;
      return {
        kind: "addColumn",
        table: operation.table,
        column: column(operation.column, operation.existingType),
        ...schemaOf(operation.schema),
      };
    case "alterColumn":
      return reverseAlterColumn(operation);
    case "createIndex":
      return { kind: "dropIndex", name: operation.name, table: operation.table, ...schemaOf(operation.schema) };
    case "createUniqueConstraint":
    case "createCheckConstraint":
    case "createPrimaryKey":
    case "createExcludeConstraint":
      return {
        kind: "dropConstraint",
        name: operation.name,
        table: operation.table,
        ...constraintType(operation.kind),
        ...schemaOf(operation.schema),
      };
    case "createForeignKey":
      return {
        kind: "dropConstraint",
        name: operation.name,
        table: operation.sourceTable,
        type: "foreignkey",
        ...schemaOf(operation.sourceSchema),
      };
    case "createTableComment":
      if (operation.existingComment === undefined) return undefined;
      return operation.existingComment === null
        ? {
            kind: "dropTableComment",
            table: operation.table,
            existingComment: operation.comment,
            ...schemaOf(operation.schema),
          }
        : {
            kind: "createTableComment",
            table: operation.table,
            comment: operation.existingComment,
            existingComment: operation.comment,
            ...schemaOf(operation.schema),
          };
    case "dropTableComment":
      if (operation.existingComment === undefined || operation.existingComment === null) return undefined;
      return {
        kind: "createTableComment",
        table: operation.table,
        comment: operation.existingComment,
        existingComment: null,
        ...schemaOf(operation.schema),
      };
    case "createSchema":
      return { kind: "dropSchema", name: operation.name };
    case "dropSchema":
      return { kind: "createSchema", name: operation.name };
    case "dropTable":
    case "dropIndex":
    case "dropConstraint":
    case "bulkInsert":
    case "execute":
    case "batchAlterTable":
      return undefined;
    default: {
      const unreachable: never = operation;
      throw new Error(`unknown operation ${JSON.stringify(unreachable)}`);
    }
  }
}

function reverseAlterColumn(operation: Extract<Operation, { kind: "alterColumn" }>): Operation | undefined {
  const column = operation.newColumnName ?? operation.column;
  const reversed: Record<string, unknown> = {};
  // Each changed attribute needs its existing value to be undone.
  if (operation.nullable !== undefined) {
    if (operation.existingNullable === undefined) return undefined;
    reversed.nullable = operation.existingNullable;
  }
  if (operation.type !== undefined) {
    if (operation.existingType === undefined) return undefined;
    reversed.type = operation.existingType;
  }
  if (operation.serverDefault !== undefined) {
    if (operation.existingServerDefault === undefined) return undefined;
    reversed.serverDefault = operation.existingServerDefault;
  }
  if (operation.comment !== undefined) {
    if (operation.existingComment === undefined) return undefined;
    reversed.comment = operation.existingComment;
  }
  if (operation.autoincrement !== undefined) {
    if (operation.existingAutoincrement === undefined) return undefined;
    reversed.autoincrement = operation.existingAutoincrement;
  }
  // The column as the operation leaves it: what it set, else what it kept (MySQL's MODIFY restates it all).
  const existing: Record<string, unknown> = {};
  if (operation.type ?? operation.existingType) existing.existingType = operation.type ?? operation.existingType;
  const nullable = operation.nullable ?? operation.existingNullable;
  if (nullable !== undefined) existing.existingNullable = nullable;
  const serverDefault =
    operation.serverDefault !== undefined ? operation.serverDefault : operation.existingServerDefault;
  if (serverDefault !== undefined) existing.existingServerDefault = serverDefault;
  const comment = operation.comment !== undefined ? operation.comment : operation.existingComment;
  if (comment !== undefined) existing.existingComment = comment;
  const autoincrement = operation.autoincrement ?? operation.existingAutoincrement;
  if (autoincrement !== undefined) existing.existingAutoincrement = autoincrement;
  // alterColumn does not change whether the column is generated: the reverse restates it the same.
  if (operation.existingComputed !== undefined) existing.existingComputed = operation.existingComputed;
  return {
    kind: "alterColumn",
    table: operation.table,
    column,
    ...(operation.newColumnName === undefined ? {} : { newColumnName: operation.column }),
    ...reversed,
    ...existing,
    ...schemaOf(operation.schema),
  };
}

function constraintType(kind: string): { type?: "unique" | "check" | "primary" } {
  if (kind === "createUniqueConstraint") return { type: "unique" };
  if (kind === "createCheckConstraint") return { type: "check" };
  if (kind === "createPrimaryKey") return { type: "primary" };
  return {};
}

function schemaOf(schema: string | undefined): { schema?: string } {
  return schema === undefined ? {} : { schema };
}
