export * from "./errors/retort-error.js";
export * from "./errors/database-error.js";
export * from "./schema/sql-expression.js";
export * from "./schema/column-type.js";
export * from "./schema/table-elements.js";
export * from "./schema/table.js";
export type * from "./operations/operation.js";
export type * from "./driver/driver.js";
export type * from "./config/database-url.js";
