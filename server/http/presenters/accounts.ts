import type { AccountSession } from "../../services/accounts/types";
import type { getAccount } from "../../services/accounts/get-account";

export function presentSession(session: AccountSession) {
  return {
    token: session.token,
    token_type: "Bearer",
    expires_at: session.expiresAt.toISOString(),
    user: { id: session.user.id, name: session.user.name, email: session.user.email, role: session.user.role },
    account: { id: session.tenant.id, name: session.tenant.name, created_at: session.tenant.createdAt.toISOString() },
  };
}

export function presentAccount(account: Awaited<ReturnType<typeof getAccount>>) {
  const { tenant, user, principal } = account;
  return {
    account: { id: tenant.id, name: tenant.name, unsubscribe_by_default: tenant.unsubscribeByDefault, created_at: tenant.createdAt.toISOString() },
    user: user ? { id: user.id, name: user.name, email: user.email, role: user.role } : null,
    authenticated_with: principal.kind === "api_key" ? { type: "api_key", api_key_id: principal.apiKeyId, mode: principal.mode } : { type: "session" },
  };
}
