import type * as Libphonenumber from "libphonenumber-js";
import type { CountryCode } from "libphonenumber-js";
import { createRequire } from "node:module";
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from "libphonenumber-js";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, it } from "vitest";

/**
 * patches/libphonenumber-js compiles each metadata pattern once and spreads options natively,
 * in the ES build that Runway imports. The CommonJS build is left as published, so it is the
 * reference: both must answer alike for every country's numbers.
 */
const published = createRequire(import.meta.url)("libphonenumber-js") as typeof Libphonenumber;

/** What normalizeItem reads from a parsed number, plus the national format's path. */
function answer(parse: typeof parsePhoneNumberFromString, text: string, region?: CountryCode) {
  const phone = parse(text, region);
  return phone
    ? {
        valid: phone.isValid(),
        e164: phone.number,
        international: phone.formatInternational(),
        national: phone.formatNational(),
        country: phone.country,
      }
    : null;
}

/** How many regular expressions `run` builds through the RegExp constructor. */
function regExpsBuiltBy(run: () => void): number {
  const NativeRegExp = globalThis.RegExp;
  let built = 0;
  globalThis.RegExp = new Proxy(NativeRegExp, {
    construct(target, args: [string, string?]) {
      built++;
      return new target(...args);
    },
  });
  try {
    run();
  } finally {
    globalThis.RegExp = NativeRegExp;
  }
  return built;
}

describe("patched libphonenumber-js", () => {
  it("answers as the published build for every country, in national and international form", () => {
    let compared = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const national = example.formatNational();
      const inputs: [string, CountryCode | undefined][] = [
        [national, country],
        [example.formatInternational(), undefined],
        [`00${example.countryCallingCode} ${example.nationalNumber}`, country],
        [national.slice(0, -2), country],
        [`${national}99`, country],
      ];
      for (const [text, region] of inputs) {
        expect(answer(parsePhoneNumberFromString, text, region), `${country}: ${text}`).toEqual(
          answer(published.parsePhoneNumberFromString, text, region),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("builds no regular expression once a country's patterns are compiled", () => {
    const numbers = ["010-1234-5678", "+1 415 555 2671", "+44 20 7946 0958", "02-312-3456"];
    const parseAll = (parse: typeof parsePhoneNumberFromString) => () => {
      for (const text of numbers) answer(parse, text, "KR");
    };
    parseAll(parsePhoneNumberFromString)();
    expect(regExpsBuiltBy(parseAll(parsePhoneNumberFromString))).toBe(0);
    // The published build builds them on every call: the count does see them.
    parseAll(published.parsePhoneNumberFromString)();
    expect(regExpsBuiltBy(parseAll(published.parsePhoneNumberFromString))).toBeGreaterThan(0);
  });
});
