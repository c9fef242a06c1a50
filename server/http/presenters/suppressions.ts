import type { Suppression } from "../../db";

export function presentSuppression(s: Suppression) {
  return { id: s.id, email: s.email, reason: s.reason, note: s.note, email_id: s.emailId, provider: s.provider, created_at: s.createdAt.toISOString() };
}
