import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  // This package is the one place that reads the environment.
  { rules: { "no-restricted-properties": "off" } },
];
