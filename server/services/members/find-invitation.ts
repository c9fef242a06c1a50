import { getDb } from "../../db";
import { AppError } from "../../lib/errors";
import { invitationTokenHash } from "./invitation-token";

/**
 * The invitation a link's token opens, with its tenant. Unknown, malformed, revoked or replaced by a newer
 * link: NOT_FOUND, alike. Public by nature (whoever holds the link), so the token is the only key.
 */
export async function findInvitationByTokenOrThrow(token: string) {
  const tokenHash = invitationTokenHash(token);
  const invitation = tokenHash ? await (await getDb()).invitation.findUnique({ where: { tokenHash }, include: { tenant: true } }) : null;
  if (!invitation) throw AppError.notFound();
  return invitation;
}
