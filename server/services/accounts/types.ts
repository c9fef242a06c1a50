import type { Tenant, User } from "../../db";

export interface AccountSession {
  user: User;
  tenant: Tenant;
  token: string;
  expiresAt: Date;
}
