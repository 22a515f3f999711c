import { defineConfig } from "vitest/config";

import { vitestPreset } from "@runway/test-harness/vitest-preset";

export default defineConfig(vitestPreset({ postgres: false }));
