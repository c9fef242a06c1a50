import { openDialog, trpcResponse } from "./dialog-actions";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";


let n = 0;
/** A name under .test (RFC 6761): it resolves nowhere, so "not found" is the answer on any resolver. */
function domainName(label = "mail"): string {
  return `${label}.d${Date.now().toString(36)}${++n}.test`;
}

test.describe("domains", () => {
  test("empty state, then add a domain: its TXT record with copy buttons, the row in the list, and delete it", async ({ page, context, seedTenant, api }) => {
    const owner = await seedTenant();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/domains");
    await expect(page.getByRole("heading", { name: "Domains", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No domains yet" })).toBeVisible();
    await expect(page.getByText(/Mail from an unverified domain still goes out, but the API answers each send with a warning/)).toBeVisible();
    await screenshot(page, "domains-empty");

    const name = domainName();
    const dialog = await openDialog(page, page.getByRole("main").getByRole("button", { name: "Add a domain" }).last(), "Add a domain");
    await dialog.getByRole("textbox", { name: "Domain" }).fill(` ${name.toUpperCase()}. `);
    const created = trpcResponse(page, "domains.create");
    await dialog.getByRole("button", { name: "Add domain" }).click();
    expect((await created).status()).toBe(200);

    // The new domain's page: the record to publish, normalized (lower case, no trailing dot).
    await expect(page).toHaveURL(/\/domains\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Pending");
    const listed = await api.as(owner.token).get("/domains");
    expect(listed.body).toHaveLength(1);
    const stored = listed.body[0];
    expect(stored.domain).toBe(name);
    const record = page.getByRole("region", { name: "Verification record" });
    await expect(record.getByLabel("Type", { exact: true })).toHaveText("TXT");
    await expect(record.getByLabel("Host", { exact: true })).toHaveText(`_courierx.${name}`);
    await expect(record.getByLabel("Value", { exact: true })).toHaveText(stored.verification_token);
    for (const [button, value] of [
      ["Copy type", "TXT"],
      ["Copy host", `_courierx.${name}`],
      ["Copy value", stored.verification_token],
    ] as const) {
      await record.getByRole("button", { name: button }).click();
      await expect(record.getByRole("button", { name: "Copied" }).first()).toBeVisible();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    }
    await expect(page.getByRole("region", { name: "DNS checks" })).toContainText("Not checked yet");
    await screenshot(page, "domain-detail-new");

    await page.getByRole("link", { name: "← Domains" }).click();
    const row = page.getByRole("row", { name: new RegExp(name.replace(/\./g, "\\.")) });
    await expect(row).toContainText("Pending");
    await expect(row).toContainText("Never");
    await screenshot(page, "domains-list");

    await row.getByRole("link", { name }).click();
    const confirm = await openDialog(page, page.getByRole("button", { name: "Delete" }), `Delete ${name}?`);
    await expect(confirm.getByRole("button", { name: "Delete domain" })).toBeDisabled();
    await confirm.getByRole("textbox").fill(name);
    const deleted = trpcResponse(page, "domains.delete");
    await confirm.getByRole("button", { name: "Delete domain" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(page).toHaveURL(/\/domains$/);
    await expect(page.getByRole("heading", { name: "No domains yet" })).toBeVisible();
  });

  test("an invalid or special-use name and a domain already registered are refused next to the field", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const taken = domainName("taken");
    expect((await api.as(owner.token).post("/domains", { domain: taken })).status).toBe(201);
    await page.goto("/domains");
    const dialog = await openDialog(page, page.getByRole("button", { name: "Add a domain" }).first(), "Add a domain");
    const field = dialog.getByRole("textbox", { name: "Domain" });

    await field.fill("printer.local");
    await dialog.getByRole("button", { name: "Add domain" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Domain must be a public domain name (.local names are local)");
    await expect(field).toHaveAttribute("aria-invalid", "true");

    await field.fill("not a domain");
    await dialog.getByRole("button", { name: "Add domain" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Domain may contain only letters, digits, hyphens and dots");

    // Only the server knows what this tenant registered: its refusal lands under the same field.
    await field.fill(taken);
    const refused = trpcResponse(page, "domains.create");
    await dialog.getByRole("button", { name: "Add domain" }).click();
    expect((await refused).status()).toBe(400);
    await expect(dialog.getByRole("alert")).toHaveText("Domain has already been registered");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await screenshot(page, "domain-form-error");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("row", { name: new RegExp(taken.replace(/\./g, "\\.")) })).toHaveCount(1);
  });

  test("verify now checks DNS and shows what was found: the token is not published yet", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const name = domainName();
    const { body: domain } = await api.as(owner.token).post("/domains", { domain: name });
    await page.goto(`/domains/${domain.id}`);
    const checks = page.getByRole("region", { name: "DNS checks" });
    await expect(checks).toContainText("Not checked yet");

    const ownership = checks.getByRole("region", { name: "Ownership" });
    const verified = trpcResponse(page, "domains.verify");
    // Clicked again only if a click landed before the page hydrated (the button is disabled while it checks).
    await expect(async () => {
      if ((await ownership.count()) === 0) await page.getByRole("button", { name: "Verify now" }).click({ timeout: 2_000 });
      await expect(ownership).toBeVisible({ timeout: 8_000 });
    }).toPass({ timeout: 30_000 });
    expect((await verified).status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Failed");
    // NXDOMAIN on a resolver that answers; a lookup error where none is reachable: both say what to do.
    await expect(ownership).toContainText(/Missing|Lookup failed/);
    await expect(ownership).toContainText(new RegExp(`No TXT record at _courierx\\.${name.replace(/\./g, "\\.")}: add one with the value ${domain.verification_token}|Could not check _courierx\\.`));
    await expect(checks).toContainText("Last checked");
    // SPF, DMARC and DKIM are looked up only once the token is found.
    await expect(checks.getByRole("region", { name: "SPF" })).toHaveCount(0);
    await screenshot(page, "domain-detail-checked");

    // The findings are the domain's: a reload (GET) shows the same, and so does the REST API.
    await page.reload();
    await expect(page.getByRole("region", { name: "Ownership" })).toContainText(/Missing|Lookup failed/);
    const rest = (await api.as(owner.token).get(`/domains/${domain.id}`)).body;
    expect(rest.status).toBe("failed");
    await expect(page.getByRole("region", { name: "Ownership" })).toContainText(rest.message);
  });

  test("a member sees domains and their records but no controls to change them", async ({ page, browser, baseURL, clientAddress, seedTenant, signIn, api, uniqueEmail }) => {
    const owner = await seedTenant();
    const name = domainName();
    const { body: domain } = await api.as(owner.token).post("/domains", { domain: name });
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });

    await member.goto("/domains");
    await expect(member.getByRole("row", { name: new RegExp(name.replace(/\./g, "\\.")) })).toBeVisible();
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(member.getByRole("button", { name: "Add a domain" })).toHaveCount(0);

    await member.goto(`/domains/${domain.id}`);
    await expect(member.getByRole("region", { name: "Verification record" }).getByLabel("Value", { exact: true })).toHaveText(domain.verification_token);
    await expect(member.getByRole("button", { name: "Verify now" })).toHaveCount(0);
    await expect(member.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await screenshot(member, "domain-detail-member");
    const refused = await member.request.post("/api/trpc/domains.verify", { data: { id: domain.id } });
    expect(refused.status()).toBe(403);
    await member.context().close();
  });
});
