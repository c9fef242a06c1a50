import { hashPassword } from "../../auth/password";
import { Prisma, type Invitation } from "../../db";
import { AppError } from "../../lib/errors";
import { countAnonymousRequest, retryAfterSeconds } from "../auth/authenticate-request";
import { findInvitationByTokenOrThrow } from "./find-invitation";
import { invitationStatus } from "./invitation-token";
import { membershipTransaction } from "./membership";
import type { AcceptInvitationInput } from "./schemas";

/** Accept attempts per invitation per minute: a link is good once, so anything past a few is a script. */
export const ACCEPT_LIMIT_PER_MINUTE = 10;

function refusal(invitation: Pick<Invitation, "acceptedAt" | "expiresAt">): AppError {
  return invitationStatus(invitation) === "accepted"
    ? new AppError("conflict", "This invitation has been used already: sign in instead")
    : new AppError("conflict", "This invitation has expired: ask an owner or admin of the account for a new link");
}

/**
 * Signs up through an invitation: a user with the invitation's email and role in its tenant. The invitation
 * is marked accepted by a conditional update (not accepted yet, not expired) in the same transaction as the
 * user's insert, so a link works exactly once even when two accepts race; a taken email rolls both back.
 */
export async function acceptInvitation(input: AcceptInvitationInput) {
  const invitation = await findInvitationByTokenOrThrow(input.token);
  const rate = await countAnonymousRequest(`invite:${invitation.id}`, ACCEPT_LIMIT_PER_MINUTE);
  if (rate.count > rate.limit) {
    throw new AppError("rate_limited", "Too many attempts for this invitation: try again in a minute", { headers: { "Retry-After": String(retryAfterSeconds(rate)) } });
  }
  if (invitationStatus(invitation) !== "pending") throw refusal(invitation);

  const passwordHash = await hashPassword(input.password);
  const { tenantId, email, role } = invitation;
  try {
    const user = await membershipTransaction(tenantId, async (tx) => {
      const now = new Date();
      const { count } = await tx.invitation.updateMany({
        where: { id: invitation.id, tokenHash: invitation.tokenHash, acceptedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (count === 0) {
        // Accepted, expired, revoked or given a new link since it was read.
        const current = await tx.invitation.findFirst({ where: { id: invitation.id, tokenHash: invitation.tokenHash } });
        throw current ? refusal(current) : AppError.notFound();
      }
      return tx.user.create({ data: { tenantId, email, role, name: input.name, passwordHash } });
    });
    return { user, tenant: invitation.tenant };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw AppError.validation("email already belongs to a CourierX account: sign in instead");
    }
    throw error;
  }
}
