import type { Browser, Page } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, screenshot, test } from "./support/fixtures";

/** A second browser (its own cookies) standing behind the same trusted proxy address as the test's page. */
async function otherBrowser(browser: Browser, baseURL: string | undefined, clientAddress: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress }, viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Invites `email` from the members page and reads the link from the show-once dialog. */
async function invite(page: Page, email: string, role: "Admin" | "Member"): Promise<string> {
  await page.getByRole("button", { name: "Invite a member" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Invite a member" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("radio", { name: new RegExp(`^${role}`) }).check();
  const created = page.waitForResponse((r) => r.url().includes("/api/trpc/members.invite"));
  await dialog.getByRole("button", { name: "Create invitation link" }).click();
  expect((await created).status()).toBe(200);
  const reveal = page.getByRole("dialog", { name: `Invitation link for ${email}` });
  const link = (await reveal.getByTestId("revealed-secret").textContent())?.trim() ?? "";
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  return link;
}

test.describe("members", () => {
  test("invite a second user, who signs up through the link as a member and cannot change configuration", async ({ page, browser, baseURL, clientAddress, seedTenant, uniqueEmail }) => {
    const owner = await seedTenant({ name: "Team Mail" });
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
    await expect(page.getByText(owner.tenantId)).toBeVisible();
    await screenshot(page, "settings");

    await page.getByRole("link", { name: "Manage members" }).click();
    await expect(page).toHaveURL(/\/settings\/members$/);
    await expect(page.getByRole("table", { name: "Members" }).getByText(owner.email)).toBeVisible();
    await expect(page.getByRole("heading", { name: "No invitations yet" })).toBeVisible();
    await screenshot(page, "members-empty");

    const email = uniqueEmail("invitee");
    const link = await invite(page, email, "Member");
    await screenshot(page, "members-invite-link");
    await page.getByRole("button", { name: "I've copied it" }).click();
    const invitations = page.getByRole("table", { name: "Invitations" });
    await expect(invitations.getByRole("row", { name: new RegExp(email) })).toContainText("Pending");
    // The list never shows the link again.
    await expect(page.getByText(link)).toHaveCount(0);

    // The invitee, in a browser of their own, signs up through the link.
    const invitee = await otherBrowser(browser, baseURL, clientAddress);
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { name: "Join Team Mail on CourierX" })).toBeVisible();
    await expect(invitee.getByLabel("Email")).toHaveValue(email);
    await expect(invitee.getByLabel("Email")).toHaveAttribute("readonly", "");
    await screenshot(invitee, "invite-accept");
    await invitee.getByLabel("Your name").fill("Grace Hopper");
    await invitee.getByLabel("Password", { exact: true }).fill(DEFAULT_PASSWORD);
    await invitee.getByLabel("Confirm password").fill(DEFAULT_PASSWORD);
    await invitee.getByRole("button", { name: "Join and sign in" }).click();
    await expect(invitee).toHaveURL(/\/overview$/);

    // A member: read-only pages, and the server refuses a configuration change.
    await invitee.goto("/api-keys");
    await expect(invitee.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(invitee.getByRole("button", { name: "Create API key" })).toHaveCount(0);
    const refused = await invitee.request.post("/api/trpc/apiKeys.create", { data: { name: "sneaky", mode: "live" } });
    expect(refused.status()).toBe(403);
    await invitee.goto("/settings/members");
    await expect(invitee.getByRole("table", { name: "Members" }).getByRole("row", { name: /Grace Hopper/ })).toContainText("Member");
    await expect(invitee.getByRole("button", { name: "Invite a member" })).toHaveCount(0);
    await expect(invitee.getByRole("combobox")).toHaveCount(0);
    await screenshot(invitee, "members-read-only");

    // The link worked once.
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { name: "This invitation has been used" })).toBeVisible();
    await invitee.context().close();

    // The owner sees the new member and the accepted invitation, makes them an admin, then removes them.
    await page.reload();
    await expect(invitations.getByRole("row", { name: new RegExp(email) })).toContainText("Accepted");
    const roleSelect = page.getByLabel("Role of Grace Hopper");
    await expect(roleSelect).toHaveValue("member");
    const changed = page.waitForResponse((r) => r.url().includes("/api/trpc/members.changeRole"));
    await roleSelect.selectOption("admin");
    expect((await changed).status()).toBe(200);
    await expect(page.getByText("Grace Hopper is now an admin")).toBeVisible();
    await screenshot(page, "members");

    await page.getByRole("button", { name: "Remove Grace Hopper" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove Grace Hopper?" });
    await confirm.getByRole("textbox").fill(email);
    await confirm.getByRole("button", { name: "Remove member" }).click();
    await expect(page.getByRole("table", { name: "Members" }).getByText(email)).toHaveCount(0);
  });

  test("an address that already has an account is refused next to the email field", async ({ page, seedTenant }) => {
    const other = await seedTenant({ signIn: false });
    await seedTenant();
    await page.goto("/settings/members");
    await page.getByRole("button", { name: "Invite a member" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Invite a member" });
    await dialog.getByLabel("Email").fill(other.email);
    const created = page.waitForResponse((r) => r.url().includes("/api/trpc/members.invite"));
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    expect((await created).status()).toBe(400);
    await expect(dialog.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByLabel("Email")).toHaveAccessibleDescription(/already belongs to a CourierX account/);
    await screenshot(page, "members-invite-error");
  });

  test("a new link replaces the old one, and a dead link shows a clear page", async ({ page, seedTenant, uniqueEmail }) => {
    await seedTenant();
    await page.goto("/settings/members");
    const email = uniqueEmail("relink");
    const first = await invite(page, email, "Admin");
    await page.getByRole("button", { name: "I've copied it" }).click();
    await page.getByRole("button", { name: `New link for ${email}` }).click();
    const second = (await page.getByRole("dialog", { name: `Invitation link for ${email}` }).getByTestId("revealed-secret").textContent())?.trim() ?? "";
    expect(second).not.toBe(first);
    await page.getByRole("button", { name: "I've copied it" }).click();

    await page.goto(new URL(first).pathname);
    await expect(page.getByRole("heading", { name: "This invitation link does not work" })).toBeVisible();
    await screenshot(page, "invite-invalid");
    await page.goto(new URL(second).pathname);
    await expect(page.getByText("You are invited as an admin")).toBeVisible();
  });
});
