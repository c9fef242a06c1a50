/**
 * Providers in the browser: connections made in the connect forms against the SMTP emulator and an HTTP
 * provider emulator, then used through the REST API; server validation errors next to their fields;
 * settings, enable/disable, the event webhook (URL with copy, keys never shown back, Postmark's credentials
 * shown once), delete by typing the name; a member sees no change controls.
 */
import { generateKeyPairSync } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { connectionBody } from "../helpers/connections";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";

/** The tRPC call a click starts (httpBatchLink: /api/trpc/<path>?batch=1). */
function trpcResponse(page: Page, path: string) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === `/api/trpc/${path}`);
}

/** Clicks until `shown` appears: a click that lands before the page hydrated does nothing. */
async function clickUntil(button: Locator, shown: Locator) {
  await expect(async () => {
    if (!(await shown.isVisible())) await button.click({ timeout: 2_000 });
    await expect(shown).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Opens the connect form of one provider from the chooser. */
async function openConnectForm(page: Page, label: string) {
  await page.goto("/providers/new");
  await clickUntil(page.getByRole("button", { name: new RegExp(`^${label}`) }), page.getByRole("heading", { name: `Connect ${label}` }));
}

/** Submits a connect form and returns the tRPC answer's status. */
async function connect(page: Page, label: string): Promise<number> {
  const created = trpcResponse(page, "providerConnections.create");
  await page.getByRole("button", { name: `Connect ${label}` }).click();
  return (await created).status();
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const CONNECTION_URL = /\/providers\/[0-9a-f-]{36}$/;

test.describe("providers", () => {
  test("empty state, then SMTP and SendGrid connected in the forms: rows in priority order, verify, event URL with copy, mail through the SMTP connection", async ({
    page,
    context,
    seedTenant,
    api,
    emulators,
    inbox,
  }) => {
    const owner = await seedTenant();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/providers");
    await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No providers connected yet" })).toBeVisible();
    await screenshot(page, "providers-empty");

    await page.getByRole("link", { name: "Connect a provider" }).first().click();
    await expect(page).toHaveURL(/\/providers\/new$/);
    for (const label of ["SendGrid", "Amazon SES", "Mailgun", "Postmark", "Resend", "SMTP"]) await expect(page.getByRole("button", { name: new RegExp(`^${label}`) })).toBeVisible();
    await screenshot(page, "providers-connect-choose");

    // SMTP at the recording SMTP server (STARTTLS, self-signed certificate).
    await openConnectForm(page, "SMTP");
    await expect(page).toHaveURL(/\?provider=smtp$/);
    await field(page, "SMTP host").fill(emulators.smtp.host);
    await field(page, "Port").fill(String(emulators.smtp.port));
    await field(page, "Username").fill(emulators.credentials.smtp.user);
    await field(page, "Password").fill(emulators.credentials.smtp.password);
    await expect(field(page, "Encryption")).toHaveValue("starttls");
    await page.getByLabel("Accept self-signed certificates").check();
    await field(page, "Name").fill("Local relay");
    await screenshot(page, "providers-connect-smtp");
    expect(await connect(page, "SMTP")).toBe(200);
    await expect(page).toHaveURL(CONNECTION_URL);
    await expect(page.getByRole("heading", { name: "Local relay", level: 1 })).toBeVisible();
    await expect(page.getByText("Verified", { exact: true })).toBeVisible();
    await expect(page.getByText("SMTP relays have no event webhook")).toBeVisible();
    // Credentials are never shown back: "Set" and a mask.
    await expect(page.getByText(emulators.credentials.smtp.password)).toHaveCount(0);
    await screenshot(page, "providers-detail-smtp");

    // SendGrid at its emulator: without the key, the service's error sits under the API key field.
    await openConnectForm(page, "SendGrid");
    expect(await connect(page, "SendGrid")).toBe(400);
    await expect(field(page, "API key")).toHaveAccessibleDescription(/API key is required for sendgrid/);
    await screenshot(page, "providers-connect-error");
    await field(page, "API key").fill(emulators.credentials.sendgrid.apiKey);
    await page.getByText("Advanced: API endpoint").click();
    await field(page, "API endpoint").fill(emulators.endpoints.sendgrid);
    // A new connection goes after the existing ones.
    await expect(field(page, "Priority")).toHaveValue("2");
    expect(await connect(page, "SendGrid")).toBe(200);
    await expect(page).toHaveURL(CONNECTION_URL);
    const sendgridId = new URL(page.url()).pathname.split("/").pop()!;
    await expect(page.getByRole("heading", { name: "SendGrid", level: 1 })).toBeVisible();

    const url = page.getByLabel("Event webhook URL");
    await expect(url).toHaveText(new RegExp(`/api/webhooks/sendgrid/${sendgridId}$`));
    await page.getByRole("button", { name: "Copy URL" }).click();
    await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe((await url.textContent())!.trim());

    const verified = trpcResponse(page, "providerConnections.verify");
    await page.getByRole("button", { name: "Verify credentials" }).click();
    expect((await verified).status()).toBe(200);
    await expect(page.getByRole("status").filter({ hasText: "Verified: API key is valid" })).toBeVisible();
    await screenshot(page, "providers-detail-sendgrid");

    await page.goto("/providers");
    const rows = page.getByRole("row");
    await expect(rows.nth(1)).toContainText("Local relay");
    await expect(rows.nth(1)).toContainText("SMTP");
    await expect(rows.nth(2)).toContainText("SendGrid");
    await expect(rows.nth(2).getByRole("cell").nth(1)).toHaveText("2");
    await screenshot(page, "providers-list");

    // The connections made in the forms carry mail: priority 1 is the SMTP relay.
    const key = await api.as(owner.token).post("/api_keys", { name: "e2e" });
    const to = `relay-${Date.now()}@example.com`;
    const sent = await api.as(key.body.raw_key).post("/emails", { from_email: "hello@yourapp.com", to_email: to, subject: "Through the relay", text_body: "Hi" });
    expect(sent.status).toBe(202);
    const mail = await inbox.waitFor({ to });
    expect(mail).toMatchObject({ subject: "Through the relay", secure: true, user: emulators.credentials.smtp.user });
  });

  test("a host the outbound guard refuses is the SMTP host field's error, and nothing is created", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await openConnectForm(page, "SMTP");
    await field(page, "SMTP host").fill("10.0.0.1");
    expect(await connect(page, "SMTP")).toBe(400);
    await expect(field(page, "SMTP host")).toHaveAccessibleDescription(/SMTP host is not allowed/);
    expect((await api.as(owner.token).get("/provider_connections")).body).toHaveLength(0);
  });

  test("priority and weight persist after a reload; disable, rename, event key set but never shown, delete by typing the name", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/provider_connections", connectionBody(emulators, "sendgrid", { display_name: "SendGrid Primary", priority: 1 }));
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await page.goto(`/providers/${id}`);
    await expect(page.getByRole("heading", { name: "SendGrid Primary", level: 1 })).toBeVisible();

    // Filled again if the first fill raced the form's hydration (which sets the stored values: "1" + "5" read "15").
    await expect(async () => {
      await field(page, "Priority").fill("5");
      await field(page, "Weight").fill("30");
      await page.waitForTimeout(250);
      await expect(field(page, "Priority")).toHaveValue("5", { timeout: 500 });
      await expect(field(page, "Weight")).toHaveValue("30", { timeout: 500 });
      await expect(page.getByRole("button", { name: "Save settings" })).toBeEnabled({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    const saved = trpcResponse(page, "providerConnections.update");
    await page.getByRole("button", { name: "Save settings" }).click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await expect(field(page, "Priority")).toHaveValue("5");
    await expect(field(page, "Weight")).toHaveValue("30");
    expect((await api.as(owner.token).get(`/provider_connections/${id}`)).body).toMatchObject({ priority: 5, weight: 30 });

    // A blank name is refused by the schema in the browser, before any request.
    await field(page, "Name").fill(" ");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(field(page, "Name")).toHaveAccessibleDescription(/Name can't be blank/);
    await field(page, "Name").fill("SendGrid Main");
    const renamed = trpcResponse(page, "providerConnections.update");
    await page.getByRole("button", { name: "Save settings" }).click();
    expect((await renamed).status()).toBe(200);
    await expect(page.getByRole("heading", { name: "SendGrid Main", level: 1 })).toBeVisible();

    const disabled = trpcResponse(page, "providerConnections.update");
    await page.getByRole("button", { name: "Disable" }).click();
    expect((await disabled).status()).toBe(200);
    await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
    expect((await api.as(owner.token).get(`/provider_connections/${id}`)).body.enabled).toBe(false);

    // The verification key: a malformed one is the field's error; a real one is "Set" and never shown.
    const keyField = page.getByLabel("Paste the verification key");
    await keyField.fill("not a key");
    const refused = trpcResponse(page, "providerConnections.update");
    await page.getByRole("button", { name: "Save verification key" }).click();
    expect((await refused).status()).toBe(400);
    await expect(keyField).toHaveAccessibleDescription(/Verification key .+/);
    const publicKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    await keyField.fill(publicKey);
    const stored = trpcResponse(page, "providerConnections.update");
    await page.getByRole("button", { name: "Save verification key" }).click();
    expect((await stored).status()).toBe(200);
    await expect(page.getByText("Ready", { exact: true })).toBeVisible();
    await expect(page.getByLabel("New verification key")).toHaveValue("");
    await expect(page.getByText(publicKey)).toHaveCount(0);
    expect((await api.as(owner.token).get(`/provider_connections/${id}`)).body.events_webhook).toMatchObject({ signing_key_set: true });
    await screenshot(page, "providers-detail-settings");

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “SendGrid Main”?" });
    await expect(dialog.getByRole("button", { name: "Delete connection" })).toBeDisabled();
    await dialog.getByLabel("Type SendGrid Main to confirm").fill("SendGrid Main");
    const deleted = trpcResponse(page, "providerConnections.delete");
    await dialog.getByRole("button", { name: "Delete connection" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(page).toHaveURL(/\/providers$/);
    await expect(page.getByRole("heading", { name: "No providers connected yet" })).toBeVisible();
    expect((await api.as(owner.token).get(`/provider_connections/${id}`)).status).toBe(404);
  });

  test("Postmark: the webhook URL with its credentials is shown once; rotating shows new ones, the old stop working", async ({ page, seedTenant, emulators }) => {
    await seedTenant();
    await openConnectForm(page, "Postmark");
    await field(page, "Server API token").fill(emulators.credentials.postmark.serverToken);
    await page.getByText("Advanced: API endpoint").click();
    await field(page, "API endpoint").fill(emulators.endpoints.postmark);
    expect(await connect(page, "Postmark")).toBe(200);
    const reveal = page.getByRole("dialog", { name: "Postmark's event webhook URL" });
    const first = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
    expect(first).toMatch(/^http:\/\/[^:]+:[^@•]+@.+\/api\/webhooks\/postmark\/[0-9a-f-]{36}$/);
    await screenshot(page, "providers-postmark-reveal");
    await reveal.getByRole("button", { name: "I've copied it" }).click();
    await expect(page).toHaveURL(CONNECTION_URL);
    await expect(page.getByLabel("Event webhook URL")).toContainText(":••••@");

    const rotated = trpcResponse(page, "providerConnections.rotateWebhookCredentials");
    await page.getByRole("button", { name: "Rotate webhook credentials" }).click();
    expect((await rotated).status()).toBe(200);
    const again = page.getByRole("dialog", { name: "Postmark's new event webhook URL" });
    const second = (await again.getByTestId("revealed-secret").textContent())!.trim();
    expect(second).not.toBe(first);
    await again.getByRole("button", { name: "I've copied it" }).click();

    // The old credentials are refused at the event URL, the new ones accepted (an event for no email: dropped, 200).
    const post = (url: string) => {
      const parsed = new URL(url);
      const auth = Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString("base64");
      return page.request.post(`${parsed.origin}${parsed.pathname}`, { headers: { authorization: `Basic ${auth}` }, data: { RecordType: "Delivery", MessageID: "00000000-0000-0000-0000-000000000000", DeliveredAt: new Date().toISOString(), Recipient: "a@example.com" } });
    };
    expect((await post(first)).status()).toBe(401);
    expect((await post(second)).status()).toBe(200);
  });

  test("a member sees the connections and their event URL but no control that changes them", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, api, uniqueEmail, emulators }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/provider_connections", connectionBody(emulators, "resend", { display_name: "Resend Primary" }));
    expect(created.status).toBe(201);
    await page.goto("/providers");
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });

    await member.goto("/providers");
    await expect(member.getByRole("row", { name: /Resend Primary/ })).toBeVisible();
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(member.getByRole("link", { name: "Connect a provider" })).toHaveCount(0);
    await screenshot(member, "providers-member");

    await member.getByRole("link", { name: "Resend Primary" }).click();
    await expect(member.getByRole("heading", { name: "Resend Primary", level: 1 })).toBeVisible();
    await expect(member.getByLabel("Event webhook URL")).toContainText(`/api/webhooks/resend/${created.body.id}`);
    for (const name of ["Verify credentials", "Disable", "Delete", "Replace credentials", "Save settings", "Save signing secret"]) await expect(member.getByRole("button", { name })).toHaveCount(0);
    await expect(member.getByRole("textbox")).toHaveCount(0);
    await screenshot(member, "providers-member-detail");
    await member.context().close();
  });
});
