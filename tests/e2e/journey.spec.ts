/**
 * A new customer's first hour, in one browser session and in the order they would do it: sign up, connect an
 * SMTP relay and a Postmark account in the connect forms, add a webhook endpoint and create an API key in the
 * UI, then send through the REST API with the key read from the copy dialog. The mail reaches the SMTP server;
 * the relay fails and the next email fails over to Postmark; Postmark's delivery event, posted to the event
 * URL the form showed, lands on the timeline and at the webhook endpoint, signed (checked with the
 * `standardwebhooks` package); an address suppressed in the UI is not sent to; a second user invited from the
 * members page joins through the link as a member and cannot change configuration.
 *
 * Each page also has a spec of its own with its edge cases; this one checks that they add up.
 */
import type { Locator, Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { postmarkRecord, postmarkRequest } from "../emulators/events";
import { openDialog, trpcResponse } from "./dialog-actions";
import { DEFAULT_PASSWORD, expect, screenshot, test, type BoundApi } from "./support/fixtures";
import { startReceiver } from "./support/webhook-receiver";

/** Clicks until `shown` appears: a click that lands before the page hydrated does nothing. */
async function clickUntil(button: Locator, shown: Locator) {
  await expect(async () => {
    if (!(await shown.isVisible())) await button.click({ timeout: 2_000 });
    await expect(shown).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

async function openConnectForm(page: Page, label: string) {
  await page.goto("/providers/new");
  await clickUntil(page.getByRole("button", { name: new RegExp(`^${label}`) }), page.getByRole("heading", { name: `Connect ${label}` }));
}

async function submitConnectForm(page: Page, label: string) {
  const created = trpcResponse(page, "providerConnections.create");
  await page.getByRole("button", { name: `Connect ${label}` }).click();
  expect((await created).status()).toBe(200);
}

/** POST /api/v1/emails with the key, then waits for the email to reach `until`; returns its REST body. */
async function send(key: BoundApi, to: string, subject: string, until: string) {
  const res = await key.post("/emails", { from_email: "hello@yourapp.com", from_name: "Your App", to_email: to, subject, html_body: `<p>${subject}</p>`, text_body: subject });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.status).toBe("queued");
  await expect.poll(async () => (await key.get(`/emails/${res.body.id}`)).body.status, { timeout: 30_000 }).toBe(until);
  return (await key.get(`/emails/${res.body.id}`)).body as { id: string; status: string; provider_message_id: string | null };
}

function timeline(page: Page) {
  return page.getByRole("list", { name: "Timeline" }).locator(":scope > li");
}

test("sign up, connect two providers, send with a key made in the UI, fail over, events, suppression, webhooks and a member", async ({
  page,
  browser,
  baseURL,
  clientAddress,
  uniqueEmail,
  api,
  emulators,
  inbox,
}) => {
  test.setTimeout(180_000);
  const receiver = await startReceiver();
  try {
    // Sign up: the account and its owner, signed in on the overview's get-started checklist.
    const email = uniqueEmail("journey");
    await page.goto("/sign-up");
    await page.getByLabel("Account name").fill("Journey Mail");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(DEFAULT_PASSWORD);
    await page.getByLabel("Confirm password").fill(DEFAULT_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByRole("button", { name: "Sign out" }).first()).toBeVisible();

    // An SMTP relay first (priority 1), at the local SMTP server.
    await openConnectForm(page, "SMTP");
    await field(page, "SMTP host").fill(emulators.smtp.host);
    await field(page, "Port").fill(String(emulators.smtp.port));
    await field(page, "Username").fill(emulators.credentials.smtp.user);
    await field(page, "Password").fill(emulators.credentials.smtp.password);
    await page.getByLabel("Accept self-signed certificates").check();
    await field(page, "Name").fill("Office relay");
    await submitConnectForm(page, "SMTP");
    await expect(page.getByRole("heading", { name: "Office relay", level: 1 })).toBeVisible();
    await expect(page.getByText("Verified", { exact: true })).toBeVisible();

    // Postmark second (priority 2), at its emulator: the event URL with its Basic credentials is shown once.
    await openConnectForm(page, "Postmark");
    await field(page, "Server API token").fill(emulators.credentials.postmark.serverToken);
    await page.getByText("Advanced: API endpoint").click();
    await field(page, "API endpoint").fill(emulators.endpoints.postmark);
    await field(page, "Name").fill("Postmark backup");
    await expect(field(page, "Priority")).toHaveValue("2");
    await submitConnectForm(page, "Postmark");
    const eventUrlDialog = page.getByRole("dialog", { name: "Postmark's event webhook URL" });
    const postmarkEventUrl = (await eventUrlDialog.getByTestId("revealed-secret").textContent())!.trim();
    expect(postmarkEventUrl).toMatch(/\/api\/webhooks\/postmark\/[0-9a-f-]{36}$/);
    await eventUrlDialog.getByRole("button", { name: "I've copied it" }).click();

    await page.goto("/providers");
    const providerRows = page.getByRole("row");
    await expect(providerRows.nth(1)).toContainText("Office relay");
    await expect(providerRows.nth(2)).toContainText("Postmark backup");

    // A webhook endpoint for every event type; its signing secret is shown once.
    await page.goto("/webhooks");
    const endpointForm = await openDialog(page, page.getByRole("button", { name: "Add an endpoint", exact: true }), "Add a webhook endpoint");
    await endpointForm.getByRole("textbox", { name: "URL" }).fill(`${receiver.url}/courierx`);
    await endpointForm.getByRole("textbox", { name: "Description (optional)" }).fill("Order service");
    const endpointCreated = trpcResponse(page, "webhookEndpoints.create");
    await endpointForm.getByRole("button", { name: "Add endpoint" }).click();
    expect((await endpointCreated).status()).toBe(200);
    const secretDialog = page.getByRole("dialog", { name: "Your endpoint's signing secret" });
    const signingSecret = (await secretDialog.getByTestId("revealed-secret").textContent())!.trim();
    await secretDialog.getByRole("button", { name: "I've copied it" }).click();

    // A live API key, read from the dialog that shows it once.
    await page.goto("/api-keys");
    const keyForm = await openDialog(page, page.getByRole("button", { name: "Create an API key", exact: true }), "Create an API key");
    await keyForm.getByRole("textbox", { name: "Name" }).fill("Backend");
    const keyCreated = trpcResponse(page, "apiKeys.create");
    await keyForm.getByRole("button", { name: "Create key" }).click();
    expect((await keyCreated).status()).toBe(200);
    const keyDialog = page.getByRole("dialog", { name: "Your new API key “Backend”" });
    const rawKey = (await keyDialog.getByTestId("revealed-secret").textContent())!.trim();
    expect(rawKey).toMatch(/^cxk_live_/);
    await keyDialog.getByRole("button", { name: "I've copied it" }).click();
    const key = api.as(rawKey);

    // First email: through the relay. The list shows it sent, the detail its timeline, the SMTP server has it.
    const first = await send(key, "ada@example.com", "Your receipt", "sent");
    const mail = await inbox.waitFor({ to: "ada@example.com", subject: "Your receipt" });
    expect(mail.user).toBe(emulators.credentials.smtp.user);
    await page.goto("/emails");
    const firstRow = page.getByRole("table", { name: /Emails/ }).getByRole("row", { name: /Your receipt/ });
    await expect(firstRow).toContainText("sent");
    await expect(firstRow).toContainText("ada@example.com");
    await firstRow.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/emails/${first.id}$`));
    await expect(timeline(page).nth(0)).toContainText("Queued");
    await expect(timeline(page).nth(1)).toContainText("Sent through Office relay");

    // The relay goes down (421 to every transaction): the next email fails over to Postmark.
    await emulators.fail("smtp", "421", { times: Infinity });
    const second = await send(key, "grace@example.com", "Your invoice", "sent");
    expect(await inbox.messages({ to: "grace@example.com" })).toHaveLength(0);
    expect(emulators.http.requests("postmark").filter((r) => r.method === "POST" && r.path === "/email")).toHaveLength(1);
    await page.goto(`/emails/${second.id}`);
    await expect(timeline(page).nth(1)).toContainText("Attempt failed on Office relay");
    await expect(timeline(page).nth(1)).toContainText("moved on to the next provider");
    await expect(timeline(page).nth(2)).toContainText("Sent through Postmark backup");

    // Postmark reports the delivery at the URL the form showed, with the credentials in it.
    expect(second.provider_message_id).toBeTruthy();
    const delivery = postmarkRequest(postmarkEventUrl, postmarkRecord("Delivery", { recipient: "grace@example.com", messageId: second.provider_message_id! }));
    const posted = await page.request.post(`${baseURL}${delivery.path}`, { headers: delivery.headers, data: delivery.body });
    expect(posted.status()).toBe(200);
    await expect(timeline(page).nth(3)).toContainText("Delivered", { timeout: 15_000 });
    await expect.poll(async () => (await key.get(`/emails/${second.id}`)).body.status).toBe("delivered");

    // The endpoint received the delivery, signed with the secret the dialog showed.
    const verifier = new Webhook(signingSecret);
    await expect
      .poll(() => receiver.requests.map((r) => verifier.verify(r.body, r.headers) as { event: string; email_id: string }).find((p) => p.event === "delivered")?.email_id, { timeout: 20_000 })
      .toBe(second.id);
    const forged = receiver.requests[0]!;
    expect(() => verifier.verify(forged.body.replace(/"event":"\w+"/, '"event":"bounced"'), forged.headers)).toThrow();

    // An address suppressed in the UI is not sent to.
    await emulators.heal("smtp");
    await page.goto("/suppressions");
    const suppressForm = await openDialog(page, page.getByRole("main").getByRole("button", { name: "Add an address" }).last(), "Add an address");
    await suppressForm.getByRole("textbox", { name: "Email address" }).fill("no-more@example.com");
    const suppressed = trpcResponse(page, "suppressions.create");
    await suppressForm.getByRole("button", { name: "Add to the list" }).click();
    expect((await suppressed).status()).toBe(200);
    await expect(suppressForm).toBeHidden();
    const third = await send(key, "no-more@example.com", "Weekly digest", "suppressed");
    await page.goto("/emails");
    await expect(page.getByRole("table", { name: /Emails/ }).getByRole("row", { name: /Weekly digest/ })).toContainText("suppressed");
    await page.goto(`/emails/${third.id}`);
    await expect(page.getByRole("main")).toContainText(/suppress/i);
    expect(await inbox.messages({ to: "no-more@example.com" })).toHaveLength(0);

    // A second user, invited from the members page, joins through the link as a member.
    await page.goto("/settings/members");
    const inviteeEmail = uniqueEmail("member");
    const inviteForm = await openDialog(page, page.getByRole("button", { name: "Invite a member" }).first(), "Invite a member");
    await inviteForm.getByLabel("Email").fill(inviteeEmail);
    await inviteForm.getByRole("radio", { name: /^Member/ }).check();
    const invited = trpcResponse(page, "members.invite");
    await inviteForm.getByRole("button", { name: "Create invitation link" }).click();
    expect((await invited).status()).toBe(200);
    const link = (await page.getByRole("dialog", { name: `Invitation link for ${inviteeEmail}` }).getByTestId("revealed-secret").textContent())!.trim();

    const memberContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress }, viewport: { width: 1280, height: 800 } });
    try {
      const member = await memberContext.newPage();
      await member.goto(new URL(link).pathname);
      await expect(member.getByRole("heading", { name: "Join Journey Mail on CourierX" })).toBeVisible();
      await member.getByLabel("Your name").fill("Grace Hopper");
      await member.getByLabel("Password", { exact: true }).fill(DEFAULT_PASSWORD);
      await member.getByLabel("Confirm password").fill(DEFAULT_PASSWORD);
      await member.getByRole("button", { name: "Join and sign in" }).click();
      await expect(member).toHaveURL(/\/overview$/);

      // They see the account's configuration and mail, and no control that changes it.
      await member.goto("/providers");
      await expect(member.getByRole("row", { name: /Office relay/ })).toBeVisible();
      await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
      await expect(member.getByRole("link", { name: "Connect a provider" })).toHaveCount(0);
      await member.goto("/emails");
      await expect(member.getByRole("table", { name: /Emails/ }).getByRole("row", { name: /Your invoice/ })).toBeVisible();
      await member.goto("/suppressions");
      await expect(member.getByRole("row", { name: /no-more@example.com/ })).toBeVisible();
      await expect(member.getByRole("button", { name: /Remove no-more@example.com/ })).toHaveCount(0);
      // And the server refuses a change made around the UI.
      const suppression = ((await key.get("/suppressions")).body as { id: string; email: string }[]).find((s) => s.email === "no-more@example.com")!;
      for (const [path, input] of [
        ["apiKeys.create", { name: "sneaky", mode: "live" }],
        ["suppressions.delete", { id: suppression.id }],
        ["webhookEndpoints.create", { url: `${receiver.url}/courierx` }],
      ] as const) {
        const refused = await member.request.post(`/api/trpc/${path}`, { data: input });
        expect(refused.status(), path).toBe(403);
      }
      await screenshot(member, "journey-member-suppressions");
    } finally {
      await memberContext.close();
    }
    // Still on the list, still unsent to.
    expect(((await key.get("/suppressions")).body as { email: string }[]).map((s) => s.email)).toContain("no-more@example.com");
  } finally {
    await receiver.close();
  }
});
