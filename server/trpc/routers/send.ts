import { z } from "zod";
import { presentEmail } from "../../http/presenters/emails";
import { acceptEmail } from "../../jobs/accept-email";
import type { Principal } from "../../services/auth/authenticate-request";
import { acceptedEmailWarnings } from "../../services/domains/sending-domain-warnings";
import { sendEmailInput } from "../../services/emails/schemas";
import { adminProcedure, createTRPCRouter } from "../init";

/** "test": the sandbox, under a test key's rules (nothing reaches a provider); "live": the account's connections. */
export const SEND_MODES = ["test", "live"] as const;

export const sendTestInput = z.object({
  mode: z.enum(SEND_MODES, { message: `must be one of: ${SEND_MODES.join(", ")}` }),
  // Under `data`, so the field errors are named as the form's fields ("from_email", not "data.from_email").
  data: sendEmailInput,
});

export const sendRouter = createTRPCRouter({
  /**
   * The dashboard's "Send a test email": the same door as POST /api/v1/emails (acceptEmail: validation, stored
   * queued, emitted to the send function). Test mode sends as the signed-in user with a test key's mode, so the
   * email is stored `test` and the pipeline ends at the sandbox whatever connections exist; live mode sends as
   * the user, as a REST session token does. Owners and admins only: it uses the account's providers.
   */
  sendTest: adminProcedure.input(sendTestInput).mutation(async ({ ctx, input }) => {
    const principal: Principal = input.mode === "test" ? { ...ctx.principal, mode: "test" } : ctx.principal;
    // As the REST route: the sender's domain as the insert read it.
    const accepted = await acceptEmail(ctx.tenantId, principal, input.data, { baseUrl: ctx.baseUrl });
    return { ...presentEmail(accepted.email), warnings: await acceptedEmailWarnings(ctx.tenantId, accepted) };
  }),
});
