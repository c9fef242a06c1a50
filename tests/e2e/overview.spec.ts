/**
 * The overview in the browser: a new account's get-started checklist instead of empty charts, then, after
 * live sends through an emulated provider (one refused) and sandbox sends, the rates with their
 * denominators, the charts, provider health with an open circuit and the recent failures, for live and test
 * data, with the period and mode in the URL.
 */
import type { Page } from "@playwright/test";
import { connectionBody } from "../helpers/connections";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test, type BoundApi } from "./support/fixtures";

/** Sends through the REST API and waits for the email's status. */
async function send(api: BoundApi, body: Record<string, unknown>, until: string): Promise<string> {
  const res = await api.post("/emails", { from_email: "hello@yourapp.com", subject: "Overview seed", text_body: "Hello", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const id: string = res.body.id;
  await expect.poll(async () => (await api.get(`/emails/${id}`)).body.status, { timeout: 20_000 }).toBe(until);
  return id;
}

const dataRows = (page: Page) => page.getByRole("table", { name: "Recent failed and bounced emails" }).getByRole("row").filter({ has: page.getByRole("cell") });
const stat = (page: Page, label: string) => page.getByRole("group", { name: "Totals and rates" }).getByRole("region", { name: label });

test.describe("overview", () => {
  test("a new account gets a get-started checklist instead of empty charts", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await page.goto("/overview");
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    const checklist = page.getByRole("region", { name: "Get started" });
    await expect(checklist.getByText("No emails yet.")).toBeVisible();
    await expect(checklist.getByRole("listitem")).toHaveCount(3);
    await expect(checklist.getByRole("link", { name: "Connect a provider" })).toHaveAttribute("href", "/providers");
    await expect(checklist.getByRole("link", { name: "Create an API key" })).toHaveAttribute("href", "/api-keys");
    await expect(checklist.getByRole("link", { name: "Send a test email" })).toHaveAttribute("href", "/send");
    await expect(page.locator(".recharts-surface")).toHaveCount(0);
    await expect(page.getByRole("group", { name: "Period" })).toHaveCount(0);
    await screenshot(page, "overview-empty");

    // A step done is ticked; the checklist stays until the first email.
    expect((await api.as(owner.token).post("/api_keys", { name: "First key" })).status).toBe(201);
    await page.reload();
    await expect(checklist.getByRole("listitem").filter({ hasText: "Create an API key (done)" })).toBeVisible();
    await expect(checklist.getByRole("link", { name: "Create an API key" })).toHaveCount(0);
    await checklist.getByRole("link", { name: "Send a test email" }).click();
    await expect(page).toHaveURL(/\/send$/);
  });

  test("a member sees what is left to set up, without the buttons to do it", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, uniqueEmail }) => {
    await seedTenant();
    await page.goto("/overview");
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });
    await member.goto("/overview");
    const checklist = member.getByRole("region", { name: "Get started" });
    await expect(checklist).toContainText("An owner or admin of this account takes them.");
    await expect(checklist.getByRole("listitem")).toHaveCount(3);
    await expect(checklist.getByRole("link")).toHaveCount(0);
    await member.context().close();
  });

  test("after sends: rates with their denominators, charts, provider health and recent failures, live and test", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const session = api.as(owner.token);
    expect((await session.post("/provider_connections", connectionBody(emulators, "sendgrid", { display_name: "SendGrid Primary", priority: 1 }))).status).toBe(201);
    expect((await session.post("/provider_connections", connectionBody(emulators, "postmark", { display_name: "Postmark Backup", priority: 2 }))).status).toBe(201);
    const key = (await session.post("/api_keys", { name: "Live key" })).body.raw_key as string;
    const live = api.as(key);
    for (let i = 0; i < 3; i++) await send(live, { to_email: `reader${i}@example.com` }, "sent");
    // SendGrid refuses one recipient for good: failed, under SendGrid.
    await emulators.fail("sendgrid", "invalid_recipient", { times: 1 });
    const refused = await send(live, { to_email: "nobody@example.com", subject: "Refused one" }, "failed");
    // Then SendGrid is down: three transient failures open its circuit, Postmark carries the emails.
    await emulators.fail("sendgrid", "5xx", { times: Infinity });
    for (let i = 0; i < 3; i++) await send(live, { to_email: `failover${i}@example.com` }, "sent");
    await emulators.heal("sendgrid");
    // Sandbox sends, with the events the sandbox plays.
    const testKey = api.as((await session.post("/api_keys", { name: "Sandbox", mode: "test" })).body.raw_key as string);
    await send(testKey, { to_email: "delivered@sandbox.courierx.dev" }, "delivered");
    await send(testKey, { to_email: "complained@sandbox.courierx.dev" }, "delivered");
    const bounced = await send(testKey, { to_email: "bounced@sandbox.courierx.dev", subject: "Sandbox bounce" }, "bounced");

    await page.goto("/overview");
    await expect(page.getByRole("region", { name: "Get started" })).toHaveCount(0);
    await expect(page.getByRole("group", { name: "Period" }).getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(stat(page, "Sent")).toContainText(/^Sent6accepted/);
    await expect(stat(page, "Sent")).toContainText("1 failed");
    await expect(stat(page, "Delivery rate")).toContainText("0 delivered of 6 sent");
    await expect(stat(page, "Complaint rate")).toContainText("—");
    // Bars drawn: the day of the sends has its stacked bar.
    await expect(page.getByRole("figure", { name: /Emails per day/ }).locator(".recharts-bar-rectangle path").first()).toBeVisible();
    await expect(page.getByRole("figure", { name: "Emails per provider" })).toContainText("SendGrid");
    await expect(page.getByRole("figure", { name: "Emails per provider" })).toContainText("Postmark");

    const health = page.getByRole("list", { name: "Provider connections" });
    const sendgrid = health.getByRole("listitem").filter({ hasText: "SendGrid Primary" });
    await expect(sendgrid).toContainText("Circuit open");
    await expect(sendgrid).toContainText("Enabled");
    await expect(sendgrid).toContainText(/Last error .*SendGrid 5\d\d/);
    await expect(health.getByRole("listitem").filter({ hasText: "Postmark Backup" })).toContainText("Circuit closed");

    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page).getByRole("link", { name: /nobody@example.com/ })).toHaveAttribute("href", `/emails/${refused}`);
    await screenshot(page, "overview-live");

    // Test data: the sandbox's deliveries, complaint and bounce; the filter survives a reload.
    const loaded = page.waitForResponse((r) => r.url().includes("analytics.overview"));
    await page.getByRole("group", { name: "Data" }).getByRole("button", { name: "Test" }).click();
    await loaded;
    await expect(page).toHaveURL(/[?&]mode=test/);
    await page.getByRole("group", { name: "Period" }).getByRole("button", { name: "30 days" }).click();
    await expect(page).toHaveURL(/[?&]period=30d/);
    await page.reload();
    await expect(page.getByRole("group", { name: "Data" }).getByRole("button", { name: "Test" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("group", { name: "Period" }).getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(stat(page, "Sent")).toContainText(/^Sent3accepted/);
    await expect(stat(page, "Delivery rate")).toContainText("66.7%");
    await expect(stat(page, "Delivery rate")).toContainText("2 delivered of 3 sent");
    await expect(stat(page, "Bounce rate")).toContainText("33.3%");
    await expect(stat(page, "Complaint rate")).toContainText("50.0%");
    await expect(stat(page, "Complaint rate")).toContainText("1 complaint of 2 delivered");
    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page).getByRole("link", { name: /bounced@sandbox.courierx.dev/ })).toHaveAttribute("href", `/emails/${bounced}`);
    await screenshot(page, "overview-test");

    await dataRows(page).getByRole("link", { name: /bounced@sandbox.courierx.dev/ }).click();
    await expect(page).toHaveURL(new RegExp(`/emails/${bounced}$`));
    await expect(page.getByRole("heading", { name: "Sandbox bounce", level: 1 })).toBeVisible();
  });
});
