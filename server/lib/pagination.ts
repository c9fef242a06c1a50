import { z } from "zod";

export const MAX_PER_PAGE = 100;

/** `page` (from 1) and `per_page` (1–100, default 25), shared by every list endpoint. */
export const paginationQuery = z.object({
  page: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").default(1),
  per_page: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_PER_PAGE, `must be at most ${MAX_PER_PAGE}`)
    .default(25),
});

export type Pagination = z.infer<typeof paginationQuery>;

export function pageWindow(p: Pagination): { skip: number; take: number } {
  return { skip: (p.page - 1) * p.per_page, take: p.per_page };
}

export function paginationHeaders(p: Pagination, total: number): Record<string, string> {
  return { "X-Total-Count": String(total), "X-Page": String(p.page), "X-Per-Page": String(p.per_page) };
}
