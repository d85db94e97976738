export { checkSchema, compareDatabase, generateBodies, renderPlan } from "./autogenerate-api.js";
export type { CheckResult, GeneratedBodies, SchemaComparison } from "./autogenerate-api.js";
export { compareSchemas, dependencyOrder, normalizeTable } from "./compare-schemas.js";
export type { CompareDialect, CompareOptions, DeclaredSchema } from "./compare-schemas.js";
export { collectTables, loadDeclaredSchema } from "./declared-schema.js";
export { planMigration } from "./plan-migration.js";
export type { CommentStep, MigrationPlan, PlanOptions, PlanStep } from "./plan-migration.js";
export { renderBody, renderColumn, renderImports, renderType } from "./render-operations.js";
export type { RenderedBody } from "./render-operations.js";
export { describeDiff, diffTable } from "./schema-diff.js";
export type { ExistingColumn, SchemaDiff, SchemaDiffKind } from "./schema-diff.js";
export {
  applyNamingConvention,
  conventionName,
  isNamingConvention,
  shortenConventionName,
} from "./naming-convention.js";
export type { ConventionContext } from "./naming-convention.js";
