import { TimezoneError } from "./script-errors.js";

/** A revision's creation time, as the file header and the file name tokens use it. */
export interface CreateDate {
  /**
   * Like Python's `str(datetime.now())`: `2025-11-13 12:00:00.123000`, with
   * the zone's offset (`+01:00`) when a `timezone` is configured. Dates have
   * millisecond precision here, so the last three digits are zeros.
   */
  readonly text: string;
  /** Whole seconds since 1970 (the `{epoch}` token). */
  readonly epoch: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The creation date of a revision made at `date`: in local time, or in the
 * IANA zone `timezone` (Alembic's `timezone` option). An unknown zone
 * throws `Can't locate timezone: X`.
 *
 * ```ts
 * createDateFor(new Date("2025-11-13T11:00:00Z"), "Europe/Paris").text; // "2025-11-13 12:00:00.000000+01:00"
 * ```
 */
export function createDateFor(date: Date, timezone?: string): CreateDate {
  const milliseconds = date.getTime();
  const epoch = Math.floor(milliseconds / 1000);
  const fraction = `${String(((milliseconds % 1000) + 1000) % 1000).padStart(3, "0")}000`;
  if (timezone === undefined) {
    const parts = {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
    };
    return { ...parts, epoch, text: `${formatDateTime(parts)}.${fraction}` };
  }
  const parts = zonedParts(date, timezone);
  const offsetSeconds = Math.round(
    (Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - epoch * 1000) / 1000,
  );
  return { ...parts, epoch, text: `${formatDateTime(parts)}.${fraction}${formatOffset(offsetSeconds)}` };
}

/** Throws `Can't locate timezone: X` unless `timezone` names a zone this runtime knows. */
export function checkTimezone(timezone: string): void {
  formatterFor(timezone);
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: timezone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new TimezoneError(timezone);
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

function zonedParts(date: Date, timezone: string): Omit<CreateDate, "text" | "epoch"> {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(date)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 0,
    month: values.month ?? 1,
    day: values.day ?? 1,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (values.hour ?? 0) % 24,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

function formatDateTime(parts: Omit<CreateDate, "text" | "epoch">): string {
  const two = (value: number): string => String(value).padStart(2, "0");
  return `${String(parts.year).padStart(4, "0")}-${two(parts.month)}-${two(parts.day)} ${two(parts.hour)}:${two(parts.minute)}:${two(parts.second)}`;
}

/** Python prints offsets as `+HH:MM`, adding `:SS` only when there are seconds. */
function formatOffset(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? "-" : "+";
  const absolute = Math.abs(totalSeconds);
  const hours = Math.floor(absolute / 3600);
  const minutes = Math.floor((absolute % 3600) / 60);
  const seconds = absolute % 60;
  const base = `${sign}${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  return seconds === 0 ? base : `${base}:${String(seconds).padStart(2, "0")}`;
}
