import type { ViteUserConfig } from "vitest/config";

export declare function vitestPreset(options: { postgres: boolean }): ViteUserConfig;
