import type { Page, Request } from "@playwright/test";
import { expect, screenshot, test } from "./support/fixtures";

/** Every request the page makes, to check that none leaves the app's origin (fonts, proxy, telemetry, CDN). */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (req: Request) => urls.push(req.url()));
  return urls;
}

function foreign(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
}

test.describe("API reference", () => {
  test("renders the OpenAPI document, searches it, and loads nothing from another origin", async ({ page, baseURL }) => {
    // Scalar's bundle is the heaviest page of the app: on a loaded CI machine (two workers beside the app server)
    // the walk through search and the request client outlasted the default 60 s once.
    test.slow();
    const urls = recordRequests(page);
    const documentLoaded = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/openapi.json");
    await page.goto("/reference");
    expect((await documentLoaded).status()).toBe(200);
    await expect(page).toHaveTitle(/API reference/);
    await expect(page.getByRole("heading", { name: "CourierX API", level: 1 })).toBeVisible();
    await expect(page.getByText("Send an email").first()).toBeVisible();
    await expect(page.getByText("Rate limit exceeded").first()).toBeAttached();

    // Scalar's search: the sidebar's search field opens a dialog over every operation.
    await page.getByRole("search").first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("combobox").or(dialog.getByRole("searchbox")).or(dialog.getByRole("textbox")).first().fill("suppression");
    await expect(dialog.getByText("Add a suppression").first()).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // Before the client scrolls the page to an operation: a full-page capture of a scrolled page draws the
    // sticky header and sidebar at the scroll position.
    await screenshot(page, "api-reference");

    // "Test request" calls this server itself, never Scalar's proxy: GET /auth/me without a key is our 401.
    const operation = page.locator("section").filter({ has: page.getByRole("heading", { name: "Get your account" }) }).first();
    await operation.getByRole("button", { name: /Test Request/ }).click();
    const client = page.getByRole("dialog");
    await expect(client).toBeVisible({ timeout: 30_000 });
    const sent = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/auth/me");
    await client.getByRole("button", { name: /^Send/ }).first().click();
    const answer = await sent;
    expect(answer.status()).toBe(401);
    expect(new URL(answer.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(client.getByText("Unauthorized").first()).toBeVisible();
    await page.keyboard.press("Escape");

    await page.waitForLoadState("networkidle");
    expect(urls.length).toBeGreaterThan(3);
    expect(foreign(urls, new URL(baseURL!).origin)).toEqual([]);
  });

  test("is linked from the landing page and, signed in, from the dashboard's sidebar", async ({ page, seedTenant }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL(/\/reference$/);
    await expect(page.getByText("Send an email").first()).toBeVisible();

    await seedTenant();
    await page.goto("/overview");
    await page.getByRole("navigation", { name: "Dashboard" }).or(page.getByRole("complementary")).getByRole("link", { name: "API reference" }).first().click();
    await expect(page).toHaveURL(/\/reference$/);
  });
});
