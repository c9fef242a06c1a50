/** The checks an invitation's link passes before it is (re)issued; run under the tenant lock (membership.ts). */
import { AppError } from "../../lib/errors";
import type { Tx } from "./membership";

/** Unaccepted, unexpired invitations per tenant: each is a live link to an account. */
export const MAX_PENDING_INVITATIONS = 50;

export async function checkInvitable(tx: Tx, tenantId: string, email: string, except?: string): Promise<void> {
  const now = new Date();
  // One account per address, across every tenant: an address that has one cannot sign up again.
  if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
    throw AppError.validation("email already belongs to a CourierX account (an address can belong to one account only)");
  }
  const pending = { tenantId, acceptedAt: null, expiresAt: { gt: now }, ...(except ? { id: { not: except } } : {}) };
  if (await tx.invitation.findFirst({ where: { ...pending, email }, select: { id: true } })) {
    throw AppError.validation("email has a pending invitation already: copy a new link for it (regenerate), or revoke it first");
  }
  if ((await tx.invitation.count({ where: pending })) >= MAX_PENDING_INVITATIONS) {
    throw AppError.validation(`at most ${MAX_PENDING_INVITATIONS} invitations can be pending: revoke one first`);
  }
}
