import { RetortError } from "../errors/retort-error.js";

/**
 * A statement whose values do not match its placeholders the way the
 * database's driver requires (a value no placeholder uses, a placeholder
 * without a value). Online the driver refuses it (`online`: the driver
 * found it before sending, where its client library would have run it
 * anyway, as mysql2 drops the values left over); offline (`--sql`) the
 * script is not written either, so that a script is never printed for a
 * migration that cannot run. The run adds the revision and the statement.
 */
export class ParameterMismatchError extends RetortError {
  constructor(problem: string, dialect: string, options: { online?: boolean } = {}) {
    const consequence = options.online
      ? `; the statement was not sent to ${dialect}`
      : `; ${dialect} refuses such a statement when it runs, so --sql does not write it either`;
    super(
      "PARAMETER_MISMATCH",
      `${problem}${consequence}. Give exactly one value per placeholder (op.execute(sql, [values]))`,
    );
    this.name = "ParameterMismatchError";
  }
}
