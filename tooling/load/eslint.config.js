import baseConfig from "@runway/eslint-config";

export default [
  ...baseConfig,
  {
    // The load tool configures the services it starts through their environment.
    files: ["src/**"],
    rules: { "no-restricted-properties": "off" },
  },
];
