import { describe, expect, it } from "vitest";
import { checkTimezone, createDateFor } from "./create-date.js";

describe("createDateFor", () => {
  const instant = new Date(Date.UTC(2025, 10, 13, 11, 0, 0, 123));

  it("writes local time like Python's str(datetime.now())", () => {
    const local = new Date(2025, 10, 13, 12, 0, 5, 123);
    const date = createDateFor(local);
    expect(date.text).toBe("2025-11-13 12:00:05.123000");
    expect(date).toMatchObject({ year: 2025, month: 11, day: 13, hour: 12, minute: 0, second: 5 });
    expect(date.epoch).toBe(Math.floor(local.getTime() / 1000));
  });

  it.each([
    ["UTC", "2025-11-13 11:00:00.123000+00:00", 11],
    ["Europe/Paris", "2025-11-13 12:00:00.123000+01:00", 12],
    ["America/New_York", "2025-11-13 06:00:00.123000-05:00", 6],
    ["Asia/Kolkata", "2025-11-13 16:30:00.123000+05:30", 16],
    ["utc", "2025-11-13 11:00:00.123000+00:00", 11],
  ])("adds the offset of %s", (timezone, text, hour) => {
    const date = createDateFor(instant, timezone);
    expect(date.text).toBe(text);
    expect(date.hour).toBe(hour);
    expect(date.epoch).toBe(Math.floor(instant.getTime() / 1000));
  });

  it("follows daylight saving time", () => {
    expect(createDateFor(new Date(Date.UTC(2025, 6, 1, 10)), "Europe/Paris").text).toBe(
      "2025-07-01 12:00:00.000000+02:00",
    );
  });

  it("writes midnight as 00", () => {
    expect(createDateFor(new Date(Date.UTC(2025, 0, 1, 0, 0, 0)), "UTC").text).toBe("2025-01-01 00:00:00.000000+00:00");
  });

  it("fails with Alembic's text for an unknown zone", () => {
    expect(() => createDateFor(instant, "Mars/Olympus")).toThrow("Can't locate timezone: Mars/Olympus");
    expect(() => checkTimezone("Nowhere")).toThrow("Can't locate timezone: Nowhere");
  });
});
