import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../src/config/duration.js";
import { isQuantity } from "../../../src/config/quantity.js";

describe("parseDuration", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["1h", 3600],
    ["1h30m", 5400],
    ["2h0m5s", 7205],
  ])("%s is %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["soon", "", "30", "1d", "30m1h", "1.5h", "0s", "-5m", "1h 30m"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it("formats back", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(90)).toBe("1m30s");
  });
});

describe("isQuantity", () => {
  it.each(["500m", "2Gi", "2000m", "1", "0.5", "1e3", "128974848", "129M", "123Mi", "1.5Gi"])("accepts %s", (q) => {
    expect(isQuantity(q)).toBe(true);
  });
  it.each(["512 Mi", "2GB", "lots", "", "1.5.2", "Mi"])("rejects %j", (q) => {
    expect(isQuantity(q)).toBe(false);
  });
});
