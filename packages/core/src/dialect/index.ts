/**
 * `@retort/core/dialect`: what a driver author builds a dialect on. A
 * dialect extends `DialectBase` (capabilities, quoting, literals,
 * placeholders) and gives a `DdlCompilerBase` subclass that overrides the
 * hooks where its SQL differs; see docs/dialect-authoring.md. The `sql`
 * helpers, `parseReference` and `parseDatabaseUrl` are here too, and the
 * error classes in `@retort/core/errors`, so that a driver imports neither
 * the whole package nor what only migrations and autogenerate use.
 */
export {
  DEFAULT_CAPABILITIES,
  DialectBase,
  defineCapabilities,
  type DialectOptions,
} from "./dialect-base.js";
export { DdlCompilerBase } from "./ddl-compiler-base.js";
export {
  assertNever,
  type ColumnRenderOptions,
  type CompilerDialect,
  type IndexSpec,
  type OptionsOperation,
  type PrimaryKeySpec,
  type ReferenceOptions,
} from "./ddl-compiler-types.js";
export { deferrability, expressionText, schemaOf, statement } from "./ddl-clauses.js";
export { NUMBER_TEXT, withoutOuterParentheses } from "./sql-text.js";
export { dateToIso, describeValue, isPlainObject, LiteralRenderer } from "./literal-renderer.js";
export { checkOptions, meantOption, type OptionNames, optionNames } from "../schema/check-options.js";
export { type BulkInsertSyntax, compileBulkInsert } from "../operations/compile-bulk-insert.js";
export type { CompileOptions, Dialect, DialectCapabilities, DialectName, DialectNames } from "../driver/driver.js";
export { sql, isSqlExpression, isWrittenSqlExpression } from "../schema/sql-expression.js";
export { parseReference } from "../schema/table-elements.js";
export { defaultIndexName, shortenConventionName } from "../schema/generated-names.js";
export { enumSchemaOf } from "../schema/column-type.js";
export { parameterMismatch } from "../pipeline/inline-parameters.js";
export { conventionName } from "../autogenerate/naming-convention.js";
export { parseDatabaseUrl } from "../config/database-url-parser.js";
