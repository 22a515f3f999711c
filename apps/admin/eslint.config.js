import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  {
    // The browser suite is tooling: it starts the API and reads its settings from the environment.
    files: ["e2e/**"],
    rules: { "no-restricted-properties": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
];
