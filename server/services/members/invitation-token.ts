import { randomBytes } from "node:crypto";
import type { Invitation } from "../../db";
import { sha256Hex } from "../../lib/crypto";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes in base64url: exactly 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new link's token (shown once, in the link) and what is stored of it: its SHA-256 and the expiry. */
export function newInvitationToken(now = Date.now()) {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: sha256Hex(token), expiresAt: new Date(now + INVITATION_LIFETIME_MS) };
}

/** The stored hash of a token from a link; null when it cannot be one of ours (so it is simply not found). */
export function invitationTokenHash(token: string): string | null {
  return TOKEN_SHAPE.test(token) ? sha256Hex(token) : null;
}

export type InvitationStatus = "pending" | "expired" | "accepted";

export function invitationStatus(invitation: Pick<Invitation, "acceptedAt" | "expiresAt">, now = Date.now()): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  return invitation.expiresAt.getTime() > now ? "pending" : "expired";
}
