import { z } from "zod";
import { getDb } from "../../db";

/** The account's settings that owners and admins may change. */
export const accountSettingsInput = z.strictObject({
  /** Sends without an `unsubscribe` field carry a one-click unsubscribe link (List-Unsubscribe, RFC 8058). */
  unsubscribe_by_default: z.boolean({ message: "must be true or false" }),
});

export type AccountSettingsInput = z.infer<typeof accountSettingsInput>;

export async function updateAccountSettings(tenantId: string, input: AccountSettingsInput) {
  const db = await getDb();
  return db.tenant.update({ where: { id: tenantId }, data: { unsubscribeByDefault: input.unsubscribe_by_default } });
}
