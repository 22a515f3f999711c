import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  {
    // Like the test harness, the rehearsal's throwaway database honours DATABASE_URL.
    files: ["src/throwaway-postgres.ts"],
    rules: { "no-restricted-properties": "off" },
  },
];
