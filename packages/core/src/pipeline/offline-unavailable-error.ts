import { RetortError } from "../errors/retort-error.js";

/**
 * Something an offline (`--sql`) run cannot do because it needs a live
 * database: reading rows (`op.getBind()`), reflecting a table for a batch
 * rebuild, reading the current version. Raised before the script is
 * printed; the message says what to pass instead.
 */
export class OfflineUnavailableError extends RetortError {
  constructor(need: string) {
    super("OFFLINE_UNAVAILABLE", `${need} needs a live database and cannot be done in --sql (offline) mode.`);
    this.name = "OfflineUnavailableError";
  }
}
