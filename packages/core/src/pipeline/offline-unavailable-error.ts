import { RetortError } from "../errors/retort-error.js";

/**
 * Something an offline (`--sql`) run cannot do because it needs a live
 * database: reading rows (`op.getBind()`), reflecting a table for a batch
 * rebuild, reading the current version. Raised before the script is
 * printed; the message says what to pass instead.
 */
export class OfflineUnavailableError extends RetortError {
  constructor(need: OfflineNeed) {
    super(
      "OFFLINE_UNAVAILABLE",
      `${need.what} needs a live database, which --sql (offline) mode does not have. ${need.instead}`,
    );
    this.name = "OfflineUnavailableError";
  }
}

/** What needs the database, and what to do instead offline. */
export interface OfflineNeed {
  /** `op.getBind().query()` */
  readonly what: string;
  /** `Guard it with op.getContext().isOffline, ...` */
  readonly instead: string;
}
