import type { Dialect, ExecuteResult, QueryResult } from "../driver/driver.js";
import { expandTabs, inlineParameters, trailingLineComment } from "./inline-parameters.js";
import { type OfflineNeed, OfflineUnavailableError } from "./offline-unavailable-error.js";
import type { RunStatement, StatementSink } from "./statement-sink.js";

/**
 * Writes a run as a SQL script (`--sql`), as Alembic's offline mode does:
 * each statement with its values as escaped literals, terminated by `;` and
 * a blank line; `-- Running upgrade a -> b` comments; `BEGIN;`/`COMMIT;`
 * only where the dialect's DDL is transactional. The script is kept in
 * memory until the run ends, so a run that fails (something needs a live
 * database) prints nothing.
 */
export class ScriptStatementSink implements StatementSink {
  readonly offline = true;
  readonly blocking = true;
  readonly dialect: Dialect;
  readonly #chunks: string[] = [];
  #inTransaction = false;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
    for (const statement of dialect.scriptPreamble ?? []) this.#chunks.push(`${statement};\n\n`);
  }

  /** The script written so far. */
  get script(): string {
    return this.#chunks.join("");
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  async execute(statement: RunStatement): Promise<ExecuteResult> {
    const sql = expandTabs(inlineParameters(statement.sql, statement.parameters, this.dialect)).trim();
    // A statement ending in a `--` comment gets its terminator on a line of its own: after the
    // comment, it would be part of it, and the client would join the statement to the next one.
    const comment = trailingLineComment(sql);
    const code = comment === undefined ? sql : sql.slice(0, comment).trimEnd();
    const terminator = code.endsWith(";") ? "" : comment === undefined ? ";" : "\n;";
    this.#chunks.push(`${sql}${terminator}\n\n`);
    return { rowCount: statement.expectRows?.count ?? 0 };
  }

  query<Row>(_statement: unknown, need: OfflineNeed): Promise<QueryResult<Row>> {
    throw new OfflineUnavailableError(need);
  }

  relationKind(_name: string, _schema: string | undefined, need: OfflineNeed): Promise<"table" | "view" | undefined> {
    throw new OfflineUnavailableError(need);
  }

  async begin(): Promise<void> {
    this.#inTransaction = true;
    if (!this.dialect.capabilities.transactionalDdl) return;
    for (const statement of this.dialect.scriptBeforeBegin ?? []) this.#chunks.push(`${statement};\n\n`);
    this.#chunks.push("BEGIN;\n\n");
  }

  async commit(): Promise<void> {
    this.#inTransaction = false;
    if (this.dialect.capabilities.transactionalDdl) this.#chunks.push("COMMIT;\n\n");
  }

  async rollback(): Promise<void> {
    this.#inTransaction = false;
  }

  comment(text: string): void {
    this.#chunks.push(`-- ${text}\n\n`);
  }
}
