import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  {
    // The test harness reads its own overrides (DATABASE_URL, REDIS_URL) from the environment.
    files: ["src/**"],
    rules: { "no-restricted-properties": "off" },
  },
];
