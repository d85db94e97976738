import { RetortError } from "./retort-error.js";

/**
 * An options object holds a key the call does not know — nearly always a
 * typo, as in `column("id", integer(), { nullabel: false })`, which would
 * otherwise create a nullable column without a word. The message names the
 * key, the call, the closest valid name and every valid one:
 *
 * ```text
 * Unknown option 'nullabel' in column("id", ...): did you mean 'nullable'? Valid options: nullable, primaryKey, ...
 * ```
 */
export class UnknownOptionError extends RetortError {
  static readonly code = "UNKNOWN_OPTION";
  /** The key that is not an option of the call. */
  readonly option: string;
  /** The call, e.g. `column("id", ...)`. */
  readonly call: string;
  /** The closest valid option, when one is close enough to be the intended one. */
  readonly suggestion: string | undefined;
  readonly validOptions: readonly string[];

  constructor(details: {
    option: string;
    call: string;
    suggestion: string | undefined;
    validOptions: readonly string[];
  }) {
    const hint = details.suggestion === undefined ? "." : `: did you mean '${details.suggestion}'?`;
    super(
      UnknownOptionError.code,
      `Unknown option '${details.option}' in ${details.call}${hint} ` +
        (details.validOptions.length === 0
          ? "It takes no options."
          : `Valid options: ${details.validOptions.join(", ")}`),
    );
    this.name = "UnknownOptionError";
    this.option = details.option;
    this.call = details.call;
    this.suggestion = details.suggestion;
    this.validOptions = details.validOptions;
  }

  static override isInstance(value: unknown): value is UnknownOptionError {
    return RetortError.isInstance(value) && value.code === UnknownOptionError.code;
  }
}
