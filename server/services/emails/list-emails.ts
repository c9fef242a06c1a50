import { z } from "zod";
import { getDb, type Prisma } from "../../db";
import { AppError } from "../../lib/errors";
import { pageWindow, type Pagination } from "../../lib/pagination";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import type { listEmailsQuery } from "./schemas";

type Filters = z.infer<typeof listEmailsQuery>;

/** A date alone means the whole day: `to=2026-03-22` includes emails of the 22nd. */
function toDate(value: string, endOfDay: boolean): Date {
  const date = new Date(value);
  if (endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(value)) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** A test key lists test emails only (with `test=false` that is none); live keys and users see both modes. */
export async function listEmails(tenantId: string, principal: Principal, filters: Filters, page: Pagination) {
  const from = filters.from ? toDate(filters.from, false) : undefined;
  const to = filters.to ? toDate(filters.to, true) : undefined;
  if (from && to && from > to) throw AppError.validation("from must be before to");
  const where: Prisma.EmailWhereInput = {
    tenantId,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.recipient ? { toEmail: { contains: filters.recipient.toLowerCase() } } : {}),
    ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    ...(filters.test ? { test: filters.test === "true" } : {}),
    ...(isTestKey(principal) ? { AND: [{ test: true }] } : {}),
  };
  const db = await getDb();
  const [items, total] = await Promise.all([
    db.email.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...pageWindow(page), omit: { htmlBody: true, textBody: true, attachments: true, providerOverrides: true, providerOverrideAuth: true } }),
    db.email.count({ where }),
  ]);
  return { items, total };
}
