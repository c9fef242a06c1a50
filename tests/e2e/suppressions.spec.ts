import type { Page } from "@playwright/test";
import { openDialog, trpcResponse } from "./dialog-actions";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";


/** The table's body rows (the header row has column headers, not cells). */
function rows(page: Page) {
  return page.getByRole("table", { name: "Suppressed addresses" }).getByRole("row").filter({ has: page.getByRole("cell") });
}

test.describe("suppressions", () => {
  test("empty state, add an address (invalid and duplicate said in the form), then remove it", async ({ page, seedTenant }) => {
    await seedTenant();
    await page.goto("/suppressions");
    await expect(page.getByRole("heading", { name: "Suppressions", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No suppressed addresses" })).toBeVisible();
    await expect(page.getByText(/Hard bounces, spam complaints and unsubscribes your providers report are added here automatically/)).toBeVisible();
    await screenshot(page, "suppressions-empty");

    const dialog = await openDialog(page, page.getByRole("main").getByRole("button", { name: "Add an address" }).last(), "Add an address");
    const email = dialog.getByRole("textbox", { name: "Email address" });
    await email.fill("not-an-address");
    await dialog.getByRole("button", { name: "Add to the list" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Email address is not a valid email address");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await screenshot(page, "suppression-form-error");

    await email.fill("Bob@Example.com");
    await dialog.getByRole("textbox", { name: "Note (optional)" }).fill("Asked by phone");
    const created = trpcResponse(page, "suppressions.create");
    await dialog.getByRole("button", { name: "Add to the list" }).click();
    expect((await created).status()).toBe(200);
    await expect(dialog).toBeHidden();
    const bob = rows(page).filter({ hasText: "bob@example.com" });
    await expect(bob).toHaveCount(1);
    await expect(bob).toContainText("Manual");
    await expect(bob).toContainText("Added by hand");
    await expect(bob).toContainText("Asked by phone");

    // Already on the list: the service updates it (REST's 200); the form says so instead of closing.
    // The toast of the first add sits over the header's button: opened from the keyboard.
    await page.getByRole("main").getByRole("button", { name: "Add an address" }).first().press("Enter");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("textbox", { name: "Email address" }).fill("bob@example.com");
    await dialog.getByRole("combobox", { name: "Reason" }).selectOption("complaint");
    const again = trpcResponse(page, "suppressions.create");
    await dialog.getByRole("button", { name: "Add to the list" }).click();
    expect((await again).status()).toBe(200);
    await expect(dialog.getByRole("status")).toHaveText("bob@example.com was already on the list: its reason was updated.");
    await screenshot(page, "suppression-form-duplicate");
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
    await expect(rows(page)).toHaveCount(1);
    await expect(bob).toContainText("Complaint");
    await screenshot(page, "suppressions-list");

    const confirm = await openDialog(page, bob.getByRole("button", { name: "Remove bob@example.com" }), "Remove from the suppression list?");
    await expect(confirm).toContainText("bob@example.com");
    const removed = trpcResponse(page, "suppressions.delete");
    await confirm.getByRole("button", { name: "Remove from the list" }).click();
    expect((await removed).status()).toBe(200);
    await expect(bob).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "No suppressed addresses" })).toBeVisible();
  });

  test("filters by reason and address live in the URL and survive a reload; no matches offers Clear filters", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const seeded: [string, string][] = [
      ["ann@example.com", "bounce"],
      ["ben@example.org", "complaint"],
      ["cat@example.com", "complaint"],
      ["dan@example.com", "unsubscribe"],
      ["eve@example.org", "manual"],
    ];
    for (const [email, reason] of seeded) expect((await api.as(owner.token).post("/suppressions", { email, reason })).status).toBe(201);

    await page.goto("/suppressions");
    await expect(rows(page)).toHaveCount(5);
    // Chosen again only if the first choice landed before the page hydrated.
    await expect(async () => {
      await page.getByRole("combobox", { name: "Reason" }).selectOption("complaint");
      await expect(page).toHaveURL(/[?&]reason=complaint(&|$)/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(rows(page)).toHaveCount(2);

    await page.getByRole("searchbox", { name: "Search addresses" }).fill("example.org");
    await expect(page).toHaveURL(/[?&]email=example\.org(&|$)/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText("ben@example.org");
    await screenshot(page, "suppressions-filtered");

    await page.reload();
    await expect(page.getByRole("combobox", { name: "Reason" })).toHaveValue("complaint");
    await expect(page.getByRole("searchbox", { name: "Search addresses" })).toHaveValue("example.org");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText("ben@example.org");

    await page.getByRole("searchbox", { name: "Search addresses" }).fill("nobody");
    await expect(page.getByRole("heading", { name: "No suppressions match these filters" })).toBeVisible();
    await screenshot(page, "suppressions-no-matches");
    await page.getByRole("main").getByRole("button", { name: "Clear filters" }).last().click();
    await expect(page).toHaveURL(/\/suppressions$/);
    await expect(rows(page)).toHaveCount(5);
    await expect(page.getByRole("combobox", { name: "Reason" })).toHaveValue("");
    await expect(page.getByRole("searchbox", { name: "Search addresses" })).toHaveValue("");
  });

  test("a bounce reported for an email is added automatically and names its source", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const { body: key } = await api.as(owner.token).post("/api_keys", { name: "sandbox", mode: "test" });
    const sent = await api.as(key.raw_key).post("/emails", { from_email: "hello@acme.test", to_email: "bounced@sandbox.courierx.dev", subject: "Bounce me", text_body: "Hi" });
    expect(sent.status).toBe(202);
    await expect.poll(async () => (await api.as(owner.token).get("/suppressions")).body.map((s: { email: string }) => s.email), { timeout: 30_000 }).toContain("bounced@sandbox.courierx.dev");

    await page.goto("/suppressions");
    const row = rows(page).filter({ hasText: "bounced@sandbox.courierx.dev" });
    await expect(row).toContainText("Bounce");
    await expect(row).toContainText("Hard bounce");
    await expect(row.getByRole("link", { name: "View the email" })).toHaveAttribute("href", `/emails/${sent.body.id}`);
  });

  test("a member sees the list but cannot add or remove addresses", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, api, uniqueEmail }) => {
    const owner = await seedTenant();
    expect((await api.as(owner.token).post("/suppressions", { email: "kept@example.com" })).status).toBe(201);
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });
    await member.goto("/suppressions");
    await expect(rows(member)).toContainText("kept@example.com");
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(member.getByRole("button", { name: "Add an address" })).toHaveCount(0);
    await expect(member.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    await screenshot(member, "suppressions-member");
    await member.context().close();
  });
});
