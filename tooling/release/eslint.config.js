import baseConfig from "@runway/eslint-config";

export default baseConfig;
