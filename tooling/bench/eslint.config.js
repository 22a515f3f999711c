import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  {
    // Benchmark processes are configured by the orchestrator through their environment.
    files: ["src/**"],
    rules: { "no-restricted-properties": "off" },
  },
];
