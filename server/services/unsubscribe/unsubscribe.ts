/**
 * What a one-click unsubscribe does (RFC 8058 POST to the link an email carried): the recipient goes on the
 * tenant's suppression list with reason `unsubscribe`, and the email gets an `unsubscribed` event — on its
 * timeline, in the rollup and to the webhook endpoints — once, in the one statement of email-event-write.ts.
 * A link whose email has since been pruned still suppresses the address. Repeating it changes nothing more.
 */
import { Prisma, getDb } from "../../db";
import { writeEmailEvent } from "../events/email-event-write";
import type { UnsubscribeTarget } from "./token";

export interface UnsubscribeLink {
  target: UnsubscribeTarget;
  /** The account the recipient unsubscribes from, for the confirmation page. */
  accountName: string;
  alreadySuppressed: boolean;
}

/** The account and state behind a verified token; null when its account no longer exists. */
export async function describeUnsubscribeLink(target: UnsubscribeTarget): Promise<UnsubscribeLink | null> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: target.tenantId }, select: { name: true } });
  if (!tenant) return null;
  const suppression = await db.suppression.findUnique({ where: { tenantId_email: { tenantId: target.tenantId, email: target.recipient } }, select: { id: true } });
  return { target, accountName: tenant.name, alreadySuppressed: suppression !== null };
}

/**
 * Unsubscribes the link's recipient (the caller has checked the account exists: describeUnsubscribeLink).
 * The event statement adds the suppression with it; the insert after it covers a link whose email was
 * pruned, and an address removed from the list since a first click. A manual or bounce entry already there
 * stays as it is.
 */
export async function unsubscribe(target: UnsubscribeTarget): Promise<void> {
  const db = await getDb();
  const email = await db.email.findFirst({ where: { id: target.emailId, tenantId: target.tenantId, toEmail: target.recipient }, select: { id: true } });
  if (email) {
    await writeEmailEvent({
      tenantId: target.tenantId,
      emailId: email.id,
      set: Prisma.sql`"status" = "status"`,
      type: "unsubscribed",
      data: { recipient: target.recipient, method: "one_click" },
      oncePerType: true,
      suppress: { reason: "unsubscribe", address: target.recipient },
    });
  }
  await db.suppression.createMany({ data: [{ tenantId: target.tenantId, email: target.recipient, reason: "unsubscribe", emailId: email?.id ?? null }], skipDuplicates: true });
}
