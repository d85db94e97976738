import { RetortError } from "../errors/retort-error.js";

/**
 * A statement whose values do not match its placeholders the way the
 * database's driver requires (a value no placeholder uses, a placeholder
 * without a value). Online the driver refuses it; offline (`--sql`) the
 * script is not written either, so that a script is never printed for a
 * migration that cannot run. The run adds the revision and the statement.
 */
export class ParameterMismatchError extends RetortError {
  constructor(problem: string, dialect: string) {
    super(
      "PARAMETER_MISMATCH",
      `${problem}; ${dialect} refuses such a statement when it runs, so --sql does not write it either. ` +
        "Give exactly one value per placeholder (op.execute(sql, [values]))",
    );
    this.name = "ParameterMismatchError";
  }
}
