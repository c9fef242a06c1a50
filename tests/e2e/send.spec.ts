/**
 * "Send a test email" in the browser: a sandbox send through the real send path to its detail page, a live
 * send that reaches the provider (emulator), validation errors from the schema and from the server next to
 * their fields, and a member who sees the form but cannot send.
 */
import type { Page } from "@playwright/test";
import { connectionBody } from "../helpers/connections";
import { trpcResponse } from "./dialog-actions";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";

const form = (page: Page) => page.getByRole("form", { name: "Send a test email" });

/** Clicks until the click lands on a hydrated page (the form submits through tRPC, not natively). */
async function submit(page: Page, button: string, path = "send.sendTest") {
  const response = trpcResponse(page, path);
  await form(page).getByRole("button", { name: button }).click();
  return response;
}

async function openSendPage(page: Page) {
  await page.goto("/send");
  await expect(page.getByRole("heading", { name: "Send a test email", level: 1 })).toBeVisible();
  // Hydrated once the quick picks respond.
  const to = form(page).getByRole("textbox", { name: "To", exact: true });
  await expect(async () => {
    await form(page).getByRole("button", { name: /^Use bounced@sandbox/ }).click({ timeout: 2_000 });
    await expect(to).toHaveValue("bounced@sandbox.courierx.dev", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

test.describe("send a test email", () => {
  test("a sandbox send: accepted, its status moves on, and the link opens the email's detail", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await openSendPage(page);
    await expect(form(page).getByRole("radio", { name: /^Sandbox \(test mode\)/ })).toBeChecked();
    await screenshot(page, "send-form");

    await form(page).getByRole("button", { name: /^Use delivered@sandbox/ }).click();
    await form(page).getByRole("textbox", { name: "From", exact: true }).fill("hello@yourapp.com");
    await form(page).getByRole("textbox", { name: "Subject" }).fill("Dashboard sandbox send");
    const sent = await submit(page, "Send to the sandbox");
    expect(sent.status()).toBe(200);

    const result = page.getByRole("status", { name: "Email accepted" });
    await expect(result.getByRole("heading", { name: "Accepted by the sandbox" })).toBeVisible();
    const id = (await result.getByLabel("Email id", { exact: true }).textContent())!.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The sandbox plays the delivered scenario: the panel follows the status.
    await expect(result.getByText("delivered", { exact: true })).toBeVisible({ timeout: 20_000 });
    await screenshot(page, "send-accepted");

    // The same email through the REST API: a test email, never at a provider.
    const email = (await api.as(owner.token).get(`/emails/${id}`)).body;
    expect(email).toMatchObject({ id, test: true, status: "delivered", subject: "Dashboard sandbox send", to_email: "delivered@sandbox.courierx.dev" });
    expect(email.provider_message_id).toMatch(/^sandbox-/);

    await result.getByRole("link", { name: "View email and timeline" }).click();
    await expect(page).toHaveURL(new RegExp(`/emails/${id}$`));
    await expect(page.getByRole("heading", { name: "Dashboard sandbox send", level: 1 })).toBeVisible();
  });

  test("a live send goes through the account's connection and reaches the provider", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    expect((await api.as(owner.token).post("/provider_connections", connectionBody(emulators, "sendgrid", { display_name: "SendGrid Primary" }))).status).toBe(201);
    await openSendPage(page);
    await form(page).getByRole("radio", { name: /^Live connections/ }).check();
    await expect(form(page).getByRole("note")).toContainText("Goes through your 1 enabled connection in routing order (SendGrid Primary)");
    // Live mode offers no sandbox addresses: they would be ordinary sends.
    await expect(form(page).getByRole("group", { name: "Sandbox addresses" })).toHaveCount(0);
    const to = `live-${Date.now()}@example.com`;
    await form(page).getByRole("textbox", { name: "From", exact: true }).fill("hello@yourapp.com");
    await form(page).getByRole("textbox", { name: "To", exact: true }).fill(to);
    await form(page).getByRole("textbox", { name: "Subject" }).fill("Dashboard live send");
    await screenshot(page, "send-live");
    expect((await submit(page, "Send live email")).status()).toBe(200);

    const result = page.getByRole("status", { name: "Email accepted" });
    await expect(result.getByRole("heading", { name: "Accepted for delivery" })).toBeVisible();
    await expect(result.getByText("sent", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => emulators.http.requests("sendgrid").filter((r) => JSON.stringify(r).includes(to)).length).toBe(1);
    const id = (await result.getByLabel("Email id", { exact: true }).textContent())!.trim();
    expect((await api.as(owner.token).get(`/emails/${id}`)).body).toMatchObject({ test: false, status: "sent", provider: "sendgrid" });
  });

  test("live mode without a connection says so and offers to connect one", async ({ page, seedTenant }) => {
    await seedTenant();
    await openSendPage(page);
    await form(page).getByRole("radio", { name: /^Live connections/ }).check();
    await expect(form(page).getByRole("note")).toContainText("No enabled provider connection: a live email would fail.");
    await expect(form(page).getByRole("link", { name: "Connect a provider" })).toHaveAttribute("href", "/providers");
  });

  test("validation errors are shown at their fields: the schema's in the browser, the server's after the round trip", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await openSendPage(page);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/send.sendTest")) requests.push(r.url());
    });
    const from = form(page).getByRole("textbox", { name: "From", exact: true });
    await from.fill("not-an-address");
    await form(page).getByRole("textbox", { name: "HTML body" }).fill("");
    await form(page).getByRole("textbox", { name: "Text body" }).fill(" ");
    await form(page).getByRole("button", { name: "Send to the sandbox" }).click();
    await expect(from).toHaveAttribute("aria-invalid", "true");
    await expect(from).toHaveAccessibleDescription(/From is not a valid email address/);
    await expect(form(page).getByText("Write an HTML body or a text body (or both).")).toBeVisible();
    expect(requests).toEqual([]);

    // A subject PostgreSQL cannot store passes the schema but not the server: its answer lands at the field.
    await from.fill("hello@yourapp.com");
    await form(page).getByRole("textbox", { name: "Text body" }).fill("Hello");
    const subject = form(page).getByRole("textbox", { name: "Subject" });
    await subject.fill("Hello\u0000there");
    const refused = await submit(page, "Send to the sandbox");
    expect(refused.status()).toBe(400);
    await expect(subject).toHaveAttribute("aria-invalid", "true");
    await expect(subject).toHaveAccessibleDescription(/Subject must not contain NUL characters/);
    await screenshot(page, "send-error");
    expect(requests).toHaveLength(1);
    expect((await api.as(owner.token).get("/emails")).body).toEqual([]);
  });

  test("a member sees the form disabled and why", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, uniqueEmail }) => {
    await seedTenant();
    await page.goto("/send");
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });
    await member.goto("/send");
    await expect(member.getByRole("note").filter({ hasText: "only owners and admins can change configuration" })).toBeVisible();
    await expect(form(member).getByRole("button", { name: "Send to the sandbox" })).toBeDisabled();
    await expect(form(member).getByRole("textbox", { name: "From", exact: true })).toBeDisabled();
    await expect(form(member).getByRole("radio", { name: /^Live connections/ })).toBeDisabled();
    await expect(form(member).getByText("Only owners and admins can send")).toBeVisible();
    await screenshot(member, "send-member");
    await member.context().close();
  });
});
