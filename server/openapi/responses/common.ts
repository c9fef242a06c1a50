import { z } from "zod";

export const timestamp = z.iso.datetime().meta({ description: "ISO 8601, UTC." });
export const nullableTimestamp = timestamp.nullable();
export const id = z.uuid();
