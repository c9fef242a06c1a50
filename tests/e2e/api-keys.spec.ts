/**
 * API keys in the browser: created in the UI, read from the RevealOnce dialog (and the clipboard), then
 * used against the REST API like a customer would; revoked and deleted keys are refused there.
 */
import { openDialog, trpcResponse } from "./dialog-actions";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";

test.describe("API keys", () => {
  test("empty state, create a live key: shown once with a copy button, it works, and it is never shown again", async ({ page, context, seedTenant, api }) => {
    await seedTenant();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/api-keys");
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
    await expect(page.getByText("Test keys only reach the sandbox: never a live provider, never live data.").first()).toBeVisible();
    await expect(page.getByLabel("curl command", { exact: true })).toContainText("Authorization: Bearer YOUR_API_KEY");
    await screenshot(page, "api-keys-empty");

    const form = await openDialog(page, page.getByRole("button", { name: "Create an API key", exact: true }), "Create an API key");
    await form.getByRole("textbox", { name: "Name" }).fill("Production backend");
    await expect(form.getByRole("radio", { name: /^Live/ })).toBeChecked();
    const created = trpcResponse(page, "apiKeys.create");
    await form.getByRole("button", { name: "Create key" }).click();
    expect((await created).status()).toBe(200);

    const reveal = page.getByRole("dialog", { name: "Your new API key “Production backend”" });
    const key = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
    expect(key).toMatch(/^cxk_live_[A-Za-z0-9]+$/);
    await expect(reveal.getByLabel("API key", { exact: true })).toHaveText(key);
    await reveal.getByRole("button", { name: "Copy api key" }).click();
    await expect(reveal.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await screenshot(page, "api-keys-reveal");

    // The copied key is a working credential of this account.
    const me = await api.as(key).get("/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.authenticated_with).toMatchObject({ type: "api_key" });

    // Closed: gone from the page, the list shows the prefix only, and a reload never brings it back.
    await reveal.getByRole("button", { name: "I've copied it" }).click();
    await expect(reveal).toBeHidden();
    const row = page.getByRole("row", { name: /Production backend/ });
    await expect(row).toContainText("Live");
    await expect(row).toContainText(`${key.slice(0, 15)}…`);
    await expect(row).toContainText("Active");
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await expect(page.getByRole("row", { name: /Production backend/ })).toBeVisible();
    expect(await page.content()).not.toContain(key);
    await screenshot(page, "api-keys-list");
  });

  test("a test key is a cxk_test_ key, badged Test", async ({ page, seedTenant, api }) => {
    await seedTenant();
    await page.goto("/api-keys");
    const form = await openDialog(page, page.getByRole("button", { name: "Create an API key", exact: true }), "Create an API key");
    await form.getByRole("textbox", { name: "Name" }).fill("Sandbox");
    await form.getByRole("radio", { name: /^Test/ }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("revealed-secret").textContent())!.trim();
    expect(key).toMatch(/^cxk_test_/);
    expect((await api.as(key).get("/auth/me")).status).toBe(200);
    await page.getByRole("button", { name: "I've copied it" }).click();
    await expect(page.getByRole("row", { name: /Sandbox/ })).toContainText("Test");
  });

  test("validation errors are shown at the name field: the schema's in the browser, the server's after the round trip", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await page.goto("/api-keys");
    const form = await openDialog(page, page.getByRole("button", { name: "Create API key", exact: true }), "Create an API key");
    const name = form.getByRole("textbox", { name: "Name" });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/apiKeys.create")) requests.push(r.url());
    });
    await name.fill("   ");
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveAccessibleDescription(/Name can't be blank/);
    expect(requests).toEqual([]);

    // Text PostgreSQL cannot store passes the schema but not the server.
    await name.fill("Worker\u0000one");
    const refused = trpcResponse(page, "apiKeys.create");
    await form.getByRole("button", { name: "Create key" }).click();
    expect((await refused).status()).toBe(400);
    await expect(name).toHaveAccessibleDescription(/Name must not contain NUL characters/);
    await screenshot(page, "api-keys-create-error");
    expect((await api.as(owner.token).get("/api_keys")).body).toEqual([]);
  });

  test("revoke: the API refuses the key with 401; delete asks for the key's name", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/api_keys", { name: "Old worker" });
    const key = created.body.raw_key as string;
    expect((await api.as(key).get("/auth/me")).status).toBe(200);
    await page.goto("/api-keys");

    const confirm = await openDialog(page, page.getByRole("button", { name: "Revoke Old worker" }), "Revoke “Old worker”?");
    await screenshot(page, "api-keys-revoke");
    const revoked = trpcResponse(page, "apiKeys.revoke");
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    expect((await revoked).status()).toBe(200);
    const row = page.getByRole("row", { name: /Old worker/ });
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: "Revoke Old worker" })).toHaveCount(0);
    expect((await api.as(key).get("/auth/me")).status).toBe(401);

    await row.getByRole("button", { name: "Delete Old worker" }).click();
    const remove = page.getByRole("dialog", { name: "Delete “Old worker”?" });
    await expect(remove.getByRole("button", { name: "Delete key" })).toBeDisabled();
    await remove.getByRole("textbox").fill("Old worke");
    await expect(remove.getByRole("button", { name: "Delete key" })).toBeDisabled();
    await remove.getByRole("textbox").fill("Old worker");
    const deleted = trpcResponse(page, "apiKeys.delete");
    await remove.getByRole("button", { name: "Delete key" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
    expect((await api.as(owner.token).get("/api_keys")).body).toEqual([]);
    expect((await api.as(key).get("/auth/me")).status).toBe(401);
  });

  test("the page is in the URL and survives a reload", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    for (let i = 1; i <= 27; i++) expect((await api.as(owner.token).post("/api_keys", { name: `Key ${String(i).padStart(2, "0")}` })).status).toBe(201);
    await page.goto("/api-keys");
    await expect(page.getByText("Showing 1–25 of 27")).toBeVisible();
    const next = page.getByRole("button", { name: "Next" });
    await expect(async () => {
      await next.click({ timeout: 2_000 });
      await expect(page).toHaveURL(/[?&]page=2/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByText("Showing 26–27 of 27")).toBeVisible();
    // Newest first: the two oldest are on page 2.
    await expect(page.getByRole("row", { name: /Key 01/ })).toBeVisible();
    await page.reload();
    await expect(page.getByText("Showing 26–27 of 27")).toBeVisible();
    await expect(page.getByRole("row", { name: /Key 02/ })).toBeVisible();
    await expect(page.getByRole("row", { name: /Key 27/ })).toHaveCount(0);
  });

  test("a member sees the keys but no change controls", async ({ page, browser, baseURL, clientAddress, seedTenant, api, signIn, uniqueEmail }) => {
    const owner = await seedTenant();
    await api.as(owner.token).post("/api_keys", { name: "Shared key" });
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });
    await member.goto("/api-keys");
    await expect(member.getByRole("row", { name: /Shared key/ })).toBeVisible();
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    for (const name of ["Create API key", "Revoke Shared key", "Delete Shared key"]) await expect(member.getByRole("button", { name })).toHaveCount(0);
    await screenshot(member, "api-keys-member");
    await member.context().close();
  });
});
