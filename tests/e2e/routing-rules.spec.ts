/**
 * Routing rules in the browser: the empty state explains the default route; a rule created in the form
 * (conditions, strategy, connections picked by name with weights) appears in the list and in the REST API;
 * schema errors before any request, the service's error next to the connection it names; edit and delete;
 * a member sees no change controls.
 */
import type { Locator, Page } from "@playwright/test";
import { connectionBody } from "../helpers/connections";
import { readOnlyMemberPage } from "./read-only-member";
import type { Emulators } from "../emulators";
import { expect, screenshot, test, type Api, type SeededTenant } from "./support/fixtures";

function trpcResponse(page: Page, path: string) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === `/api/trpc/${path}`);
}

async function seedConnections(api: Api, owner: SeededTenant, emulators: Emulators) {
  const session = api.as(owner.token);
  const primary = await session.post("/provider_connections", connectionBody(emulators, "sendgrid", { display_name: "SendGrid Primary", priority: 1, weight: 3 }));
  const backup = await session.post("/provider_connections", connectionBody(emulators, "postmark", { display_name: "Postmark Backup", priority: 2 }));
  expect([primary.status, backup.status]).toEqual([201, 201]);
  return { primary: primary.body.id as string, backup: backup.body.id as string };
}

/** The form once hydrated: the first connection row is filled in by the client. */
async function openNewRule(page: Page): Promise<Locator> {
  await page.goto("/routing-rules/new");
  const first = page.getByLabel("Connection 1", { exact: true });
  await expect(first).not.toHaveValue("");
  return first;
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

test.describe("routing rules", () => {
  test("empty state explains the default route; create a weighted rule in the form: the row and the REST rule", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const ids = await seedConnections(api, owner, emulators);
    await page.goto("/routing-rules");
    await expect(page.getByRole("heading", { name: "Routing rules", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No routing rules: every email uses the default route" })).toBeVisible();
    await expect(page.getByText(/each email tries all your enabled provider connections by priority/)).toBeVisible();
    await screenshot(page, "routing-rules-empty");

    await page.getByRole("link", { name: "Create a rule" }).first().click();
    await expect(page).toHaveURL(/\/routing-rules\/new$/);
    const first = page.getByLabel("Connection 1", { exact: true });
    await expect(first).toHaveValue(ids.primary);

    // The schema in the browser: nothing is sent for a blank name or a malformed domain.
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/routingRules.create")) requests.push(r.url());
    });
    await field(page, "Sender domains").fill("not a domain!");
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(field(page, "Name")).toHaveAccessibleDescription(/Name can't be blank/);
    await expect(field(page, "Sender domains")).toHaveAccessibleDescription(/Sender domains must be domain names/);
    expect(requests).toHaveLength(0);
    await screenshot(page, "routing-rules-invalid");

    await field(page, "Name").fill("Billing through SendGrid");
    await field(page, "Sender domains").fill("billing.example.com, Example.com");
    await field(page, "Tags").fill("billing, receipts");
    await page.getByRole("radio", { name: /^Weighted/ }).check();
    await page.getByRole("button", { name: "Add a connection" }).click();
    await expect(field(page, "Connection 2")).toHaveValue(ids.backup);
    // A connection added to a weighted rule starts with its own weight.
    await expect(field(page, "Weight 1")).toHaveValue("3");
    await field(page, "Weight 2").fill("1");
    await screenshot(page, "routing-rules-form");
    const created = trpcResponse(page, "routingRules.create");
    await page.getByRole("button", { name: "Create rule" }).click();
    expect((await created).status()).toBe(200);

    await expect(page).toHaveURL(/\/routing-rules$/);
    const row = page.getByRole("row", { name: /Billing through SendGrid/ });
    await expect(row).toContainText("From billing.example.com or example.com and tagged billing or receipts");
    await expect(row).toContainText("Weighted");
    await expect(row).toContainText(/1\.\s*SendGrid Primary\s*weight 3/);
    await expect(row).toContainText(/2\.\s*Postmark Backup\s*weight 1/);
    await screenshot(page, "routing-rules-list");

    const rules = (await api.as(owner.token).get("/routing_rules")).body;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: "Billing through SendGrid",
      strategy: "weighted",
      enabled: true,
      conditions: { from_domains: ["billing.example.com", "example.com"], tags: ["billing", "receipts"] },
      providers: [
        { connection_id: ids.primary, weight: 3 },
        { connection_id: ids.backup, weight: 1 },
      ],
    });
  });

  test("a connection deleted while the form was open is the service's error, next to that connection", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const ids = await seedConnections(api, owner, emulators);
    await openNewRule(page);
    await field(page, "Name").fill("Stale pick");
    await field(page, "Connection 1").selectOption(ids.backup);
    expect((await api.as(owner.token).delete(`/provider_connections/${ids.backup}`)).status).toBe(204);
    const refused = trpcResponse(page, "routingRules.create");
    await page.getByRole("button", { name: "Create rule" }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.getByRole("listitem").filter({ has: field(page, "Connection 1") }).getByRole("alert")).toHaveText("Connection is not one of your provider connections");
    await screenshot(page, "routing-rules-server-error");
    expect((await api.as(owner.token).get("/routing_rules")).body).toHaveLength(0);
  });

  test("edit: name, strategy and order change and persist after a reload; delete by typing the name", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const ids = await seedConnections(api, owner, emulators);
    const rule = await api.as(owner.token).post("/routing_rules", {
      name: "Receipts",
      conditions: { tags: ["receipts"] },
      strategy: "priority",
      providers: [{ connection_id: ids.primary }, { connection_id: ids.backup }],
    });
    expect(rule.status).toBe(201);
    await page.goto("/routing-rules");
    await page.getByRole("link", { name: "Receipts" }).click();
    await expect(page).toHaveURL(new RegExp(`/routing-rules/${rule.body.id}$`));
    await expect(field(page, "Name")).toHaveValue("Receipts");
    await expect(field(page, "Tags")).toHaveValue("receipts");

    await field(page, "Name").fill("Receipts, Postmark first");
    await page.getByRole("radio", { name: /^Listed only/ }).check();
    await page.getByRole("button", { name: "Move connection 2 up" }).click();
    await expect(field(page, "Connection 1")).toHaveValue(ids.backup);
    await screenshot(page, "routing-rules-edit");
    const saved = trpcResponse(page, "routingRules.update");
    await page.getByRole("button", { name: "Save rule" }).click();
    expect((await saved).status()).toBe(200);
    await expect(page).toHaveURL(/\/routing-rules$/);
    await page.reload();
    const row = page.getByRole("row", { name: /Receipts, Postmark first/ });
    await expect(row).toContainText("Listed only");
    await expect(row).toContainText(/1\.\s*Postmark Backup.*2\.\s*SendGrid Primary/);
    expect((await api.as(owner.token).get(`/routing_rules/${rule.body.id}`)).body).toMatchObject({
      strategy: "failover_only",
      providers: [{ connection_id: ids.backup }, { connection_id: ids.primary }],
    });

    await row.getByRole("button", { name: "Delete Receipts, Postmark first" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “Receipts, Postmark first”?" });
    await dialog.getByLabel(/to confirm/).fill("Receipts, Postmark first");
    const deleted = trpcResponse(page, "routingRules.delete");
    await dialog.getByRole("button", { name: "Delete rule" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(page.getByRole("heading", { name: "No routing rules: every email uses the default route" })).toBeVisible();
    expect((await api.as(owner.token).get(`/routing_rules/${rule.body.id}`)).status).toBe(404);
  });

  test("a member reads the rules but gets no control that changes them", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, api, uniqueEmail, emulators }) => {
    const owner = await seedTenant();
    const ids = await seedConnections(api, owner, emulators);
    const rule = await api.as(owner.token).post("/routing_rules", { name: "Everything via Postmark", strategy: "failover_only", providers: [{ connection_id: ids.backup }] });
    expect(rule.status).toBe(201);
    await page.goto("/routing-rules");
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });

    await member.goto("/routing-rules");
    await expect(member.getByRole("row", { name: /Everything via Postmark/ })).toContainText("Every email");
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(member.getByRole("link", { name: "Create a rule" })).toHaveCount(0);
    await expect(member.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
    await screenshot(member, "routing-rules-member");

    await member.getByRole("link", { name: "Everything via Postmark" }).click();
    await expect(member.getByRole("heading", { name: "Everything via Postmark", level: 1 })).toBeVisible();
    await expect(member.getByText("Postmark Backup")).toBeVisible();
    await expect(member.getByRole("button", { name: "Save rule" })).toHaveCount(0);
    await expect(member.getByRole("textbox")).toHaveCount(0);
    await member.context().close();
  });
});
