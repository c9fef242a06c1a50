// Runs `prisma generate` without the native schema engine download that fails on offline and locked-down
// hosts: generate never uses the engine, it only needs a path to exist (ENVIRONMENT.md).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
if (!existsSync("prisma/schema.prisma")) process.exit(0);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = cli;
const result = spawnSync(process.execPath, [cli, "generate", "--schema", "prisma/schema.prisma"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
