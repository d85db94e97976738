export * from "./errors/retort-error.js";
export * from "./errors/database-error.js";
export { UnknownOptionError } from "./errors/unknown-option-error.js";
export {
  formatLocation,
  locationIn,
  type SourceLocation,
  sourceMappedStack,
  stackFrames,
} from "./errors/source-location.js";
export * from "./schema/sql-expression.js";
export * from "./schema/column-type.js";
export * from "./schema/table-elements.js";
export * from "./schema/table.js";
export type * from "./operations/operation.js";
export type * from "./driver/driver.js";
export type * from "./introspection/reflected-schema.js";
export type * from "./config/database-url.js";
export * from "./config/config-errors.js";
export * from "./config/retort-config.js";
export {
  parseDatabaseUrl,
  maskUrl,
  resolveDatabaseUrl,
  isInMemorySqlite,
  type DatabaseUrlSources,
} from "./config/database-url-parser.js";
export { driverPackageForScheme } from "./config/driver-package.js";
export { CONFIG_FILE_NAMES, findConfigFile } from "./config/find-config-file.js";
export { loadConfig, readConfigFile, type LoadConfigOptions } from "./config/load-config.js";
export { type ImportOptions, importModule } from "./config/module-loader.js";
export { parseDotEnv, loadDotEnv } from "./config/dot-env.js";
export * from "./script/script-errors.js";
export type { RevisionHeader } from "./script/revision-header.js";
export { readRevisionHeader, readRevisionHeaderFile } from "./script/read-revision-header.js";
export { findRevisionFiles, isMigrationFileName, type FindRevisionFilesOptions } from "./script/find-revision-files.js";
export {
  loadScriptHeaders,
  assertScriptLocation,
  type LoadScriptHeadersOptions,
} from "./script/load-script-headers.js";
export { generateRevisionId, validateRevisionId } from "./script/revision-id.js";
export {
  slugify,
  renderFileTemplate,
  revisionFilePath,
  FILE_TEMPLATE_TOKENS,
  type RevisionFilePathOptions,
} from "./script/revision-file-name.js";
export { createDateFor, checkTimezone, type CreateDate } from "./script/create-date.js";
export { renderRevisionFile, type RenderRevisionOptions } from "./script/render-revision.js";
export { listTemplates, type ProjectTemplate } from "./script/list-templates.js";
export {
  initProject,
  formatInitStep,
  initDoneMessage,
  type InitProjectOptions,
  type InitResult,
  type InitStep,
} from "./script/init-project.js";
export type { MigrationContext } from "./runtime/migration-context.js";
export type { MigrationModule } from "./runtime/migration-module.js";
export { MigrationFailedError } from "./runtime/migration-error.js";
export { InterruptedError } from "./runtime/run-interruption.js";
export { findTransactionControl } from "./runtime/transaction-control.js";
export { describeStep } from "./runtime/describe-step.js";
export { runMigrations, type RunResult, type RunnerOptions } from "./runtime/migration-runner.js";
export { parseXArgs } from "./runtime/x-args.js";
export type {
  RunReporter,
  DatabaseChosen,
  LockWaiting,
  LockAcquired,
  MigrationStarted,
  StepReport,
  RunSummary,
} from "./runtime/run-reporter.js";
export { VersionTable, versionTableOperation, type VersionTableOptions } from "./runtime/version-table.js";
export { Operations, type OperationSink, type Bind } from "./operations/operations.js";
export { Environment, type CommandOptions, type OpenConnection } from "./api/environment.js";
export { ScriptDirectory } from "./api/script-directory.js";
export { loadDriver } from "./api/driver-loader.js";
export { upgrade, downgrade, stamp } from "./api/migrate-commands.js";
export { upgradeSql, downgradeSql, stampSql, ensureVersionSql, type OfflineResult } from "./api/offline-commands.js";
export { OfflineUnavailableError } from "./pipeline/offline-unavailable-error.js";
export { parameterMismatch } from "./pipeline/inline-parameters.js";
export { ParameterMismatchError } from "./pipeline/parameter-mismatch-error.js";
export type { StatementSink, RunStatement, CopyProgress } from "./pipeline/statement-sink.js";
export { ConnectionStatementSink } from "./pipeline/connection-statement-sink.js";
export { ScriptStatementSink } from "./pipeline/script-statement-sink.js";
export {
  current,
  history,
  heads,
  branches,
  show,
  ensureVersion,
  type CurrentResult,
  type HistoryResult,
  type BranchPoint,
  type ScriptRevision,
} from "./api/inspect-commands.js";
export { revision, merge, type RevisionOptions, type RevisionResult } from "./api/revision-command.js";
export type { RevisionSource } from "./graph/revision-source.js";
export { Revision } from "./graph/revision.js";
export { RevisionGraph, type IterateOptions, type LineageOptions } from "./graph/revision-graph.js";
export type { RevisionIdentifier } from "./graph/identifier-resolution.js";
export * from "./graph/revision-errors.js";
export * from "./graph/graph-validation-errors.js";
export {
  planUpgrade,
  planDowngrade,
  planStamp,
  type RevisionStep,
  type StampStep,
  type MigrationStep,
  type PlanOptions,
} from "./runtime/migration-plan.js";
export { HeadMaintainer, VersionStateError, type VersionRowChange } from "./runtime/head-maintainer.js";
export { historyRevisions, HistoryRangeError } from "./runtime/history-range.js";
export { reverseOperation } from "./operations/reverse-operation.js";
export { BatchOperations } from "./operations/batch-operations.js";
export type * from "./operations/batch-operation.js";
export type * from "./operations/operation-options.js";
export {
  compileBulkInsert as compileBulkInsertStatements,
  type BulkInsertSyntax,
} from "./operations/compile-bulk-insert.js";
export * from "./autogenerate/index.js";
