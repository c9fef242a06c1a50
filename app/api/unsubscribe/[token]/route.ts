// The outbox dispatcher is registered by the jobs client: the `unsubscribed` event requests its outgoing
// webhook deliveries at once in this bundle too.
import "@/server/jobs/client";
import { methods } from "@/server/http/methods";
import { logger } from "@/server/lib/logger";
import { verifyUnsubscribeToken } from "@/server/services/unsubscribe/token";
import { describeUnsubscribeLink, unsubscribe } from "@/server/services/unsubscribe/unsubscribe";
import { unsubscribePage } from "@/server/services/unsubscribe/page";

export const dynamic = "force-dynamic";

async function tokenOf(ctx: { params: Promise<Record<string, string | string[]>> }): Promise<string> {
  const { token } = await ctx.params;
  return typeof token === "string" ? token : "";
}

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // GET /api/unsubscribe/:token — the link opened in a browser: a confirmation page with one button. A GET
  // never unsubscribes (mail scanners and link previews open links).
  GET: async (req, ctx) => {
    const target = verifyUnsubscribeToken(await tokenOf(ctx));
    const link = target && (await describeUnsubscribeLink(target));
    if (!link) return unsubscribePage({ kind: "invalid" }, 404);
    return unsubscribePage({ kind: link.alreadySuppressed ? "done" : "confirm", accountName: link.accountName, recipient: link.target.recipient, action: new URL(req.url).pathname });
  },

  // POST /api/unsubscribe/:token — RFC 8058 one-click (List-Unsubscribe=One-Click, from the mail client),
  // or the confirmation page's button: suppresses the recipient and records `unsubscribed`.
  POST: async (_req, ctx) => {
    const target = verifyUnsubscribeToken(await tokenOf(ctx));
    const link = target && (await describeUnsubscribeLink(target));
    if (!link) return unsubscribePage({ kind: "invalid" }, 404);
    await unsubscribe(link.target);
    logger.info("one-click unsubscribe", { tenantId: link.target.tenantId, emailId: link.target.emailId });
    return unsubscribePage({ kind: "done", accountName: link.accountName, recipient: link.target.recipient });
  },
});
