/** The same send-email function, driven by Inngest's own test engine instead of the local engine. */
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_QUEUED } from "@/server/jobs/events";
import { sendEmail } from "@/server/jobs/functions/send-email";
import { closeProviderClients } from "@/server/providers";
import { queueEmail } from "@/server/services/emails/queue-email";
import { sendEmailInput } from "@/server/services/emails/schemas";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody } from "../../helpers/sending";

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

async function queued(tenant: { tenantId: string }, body = emailBody()) {
  const { email } = await queueEmail(tenant.tenantId, { kind: "user", tenantId: tenant.tenantId, userId: "00000000-0000-4000-8000-000000000000" }, { ...sendEmailInput.parse(body), routingConnectionIds: [] }, { baseUrl: "http://localhost:3000" });
  return email;
}

describe("send-email under @inngest/test", () => {
  it("sends through the primary", async () => {
    const t = await signUp();
    await connect(t.apiKey, emulators, "resend");
    const email = await queued(t);
    const engine = new InngestTestEngine({ function: sendEmail, events: [{ name: EMAIL_QUEUED, data: { tenant_id: t.tenantId, email_id: email.id } }] });
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "sent", provider: "resend" });
    const detail = await api.get(`/api/v1/emails/${email.id}`, { token: t.apiKey });
    expect(detail.body.status).toBe("sent");
    expect(emulators.http.requests("resend").filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("fails at once on a permanent error without trying the secondary", async () => {
    const t = await signUp();
    await connect(t.apiKey, emulators, "mailgun", { priority: 1 });
    await connect(t.apiKey, emulators, "aws_ses", { priority: 2 });
    await emulators.fail("mailgun", "invalid_recipient");
    const email = await queued(t);
    const engine = new InngestTestEngine({ function: sendEmail, events: [{ name: EMAIL_QUEUED, data: { tenant_id: t.tenantId, email_id: email.id } }] });
    const { result } = await engine.execute();
    expect(result).toMatchObject({ status: "failed" });
    expect(emulators.http.requests("aws_ses").filter((r) => r.method === "POST")).toHaveLength(0);
  });
});
