import type { Page } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, screenshot, test } from "./support/fixtures";

async function fillSignUp(page: Page, values: { name: string; email: string; password: string; confirmation?: string }) {
  await page.getByLabel("Account name").fill(values.name);
  await page.getByLabel("Email").fill(values.email);
  await page.getByLabel("Password", { exact: true }).fill(values.password);
  await page.getByLabel("Confirm password").fill(values.confirmation ?? values.password);
}

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The form's own message (Next's route announcer is an alert too). */
function formAlert(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

/** The dashboard shell is showing, signed in (its sign-out control is there). */
async function expectDashboard(page: Page, path: string) {
  await expect(page).toHaveURL((url) => url.pathname + url.search === path);
  await expect(page.getByRole("button", { name: "Sign out" }).first()).toBeVisible();
}

test.describe("sign-up", () => {
  test("creates the account, signs in and lands on /overview", async ({ page, uniqueEmail, api }) => {
    await page.goto("/sign-up");
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await screenshot(page, "sign-up");

    const email = uniqueEmail("signup");
    await fillSignUp(page, { name: "Acme Mail", email: email.toUpperCase(), password: DEFAULT_PASSWORD });
    const signUp = page.waitForResponse((r) => r.url().includes("/api/trpc/auth.signUp"));
    await page.getByRole("button", { name: "Create account" }).click();
    expect((await signUp).status()).toBe(200);
    await expectDashboard(page, "/overview");

    // A real account: the owner signs in to the REST API with the same password (the email stored lower-cased).
    const login = await api.call("POST", "/auth/login", { body: { email, password: DEFAULT_PASSWORD } });
    expect(login.status).toBe(200);
    const me = await api.as(login.body.token).get("/auth/me");
    expect(me.body).toMatchObject({ account: { name: "Acme Mail" }, user: { email, role: "owner" } });
  });

  test("checks the form with the registration schema before sending anything", async ({ page, uniqueEmail }) => {
    await page.goto("/sign-up");
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/")) requests.push(r.url());
    });
    await fillSignUp(page, { name: " ", email: "not-an-email", password: "short", confirmation: "different" });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByLabel("Account name")).toHaveAccessibleDescription(/Account name can't be blank/);
    await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Email is not a valid email address");
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(/Password must be at least 10 characters/);
    await expect(page.getByLabel("Confirm password")).toHaveAccessibleDescription("Confirmation doesn't match password");
    await screenshot(page, "sign-up-invalid");
    expect(requests).toEqual([]);

    await fillSignUp(page, { name: "Fixed", email: uniqueEmail("fixed"), password: DEFAULT_PASSWORD });
    await page.getByRole("button", { name: "Create account" }).click();
    await expectDashboard(page, "/overview");
  });

  test("a taken email is shown next to the email field", async ({ page, seedTenant }) => {
    const existing = await seedTenant({ signIn: false });
    await page.goto("/sign-up");
    await fillSignUp(page, { name: "Second", email: existing.email, password: DEFAULT_PASSWORD });
    const signUp = page.waitForResponse((r) => r.url().includes("/api/trpc/auth.signUp"));
    await page.getByRole("button", { name: "Create account" }).click();
    expect((await signUp).status()).toBe(400);
    const emailInput = page.getByLabel("Email");
    await expect(emailInput).toHaveAttribute("aria-invalid", "true");
    await expect(emailInput).toHaveAccessibleDescription("Email has already been taken");
    await expect(page).toHaveURL(/\/sign-up$/);
    await screenshot(page, "sign-up-email-taken");
  });
});

test.describe("sign-in", () => {
  test("a wrong password says so and signs nobody in", async ({ page, seedTenant, context }) => {
    const tenant = await seedTenant({ signIn: false });
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await screenshot(page, "sign-in");

    await fillSignIn(page, tenant.email, "not-the-password");
    await expect(formAlert(page)).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in$/);
    await screenshot(page, "sign-in-wrong-password");
    const session = await (await context.request.get("/api/auth/session")).json();
    expect(session).toEqual({});

    // The same message for an email nobody registered: the form reveals nothing.
    await fillSignIn(page, `nobody-${tenant.email}`, DEFAULT_PASSWORD);
    await expect(formAlert(page)).toHaveText("Wrong email or password.");

    await fillSignIn(page, tenant.email, tenant.password);
    await expectDashboard(page, "/overview");
  });

  test("after the account's failed-login limit it says to wait, even with the right password", async ({ page, seedTenant, api }) => {
    const tenant = await seedTenant({ signIn: false });
    // The REST login and the dashboard count the same failures (10 within 15 minutes).
    for (let i = 0; i < 10; i += 1) {
      expect((await api.call("POST", "/auth/login", { body: { email: tenant.email, password: `wrong-${i}-password` } })).status).toBe(401);
    }
    await page.goto("/sign-in");
    await fillSignIn(page, tenant.email, tenant.password);
    await expect(formAlert(page)).toHaveText("Too many failed attempts, try again in a few minutes");
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test("a signed-out visit to a dashboard page goes to sign-in and comes back after it", async ({ page, seedTenant }) => {
    const tenant = await seedTenant({ signIn: false });
    await page.goto("/emails?status=failed");
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === "/emails?status=failed");
    await fillSignIn(page, tenant.email, tenant.password);
    await expectDashboard(page, "/emails?status=failed");
  });

  test("a callbackUrl to another origin is ignored", async ({ page, seedTenant }) => {
    const tenant = await seedTenant({ signIn: false });
    for (const target of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
      await expect(page.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/sign-up");
    }
    await fillSignIn(page, tenant.email, tenant.password);
    await expectDashboard(page, "/overview");
  });

  test("signed in, /sign-in and /sign-up go to the dashboard", async ({ page, seedTenant }) => {
    await seedTenant();
    await page.goto("/sign-in");
    await expectDashboard(page, "/overview");
    await page.goto("/sign-up");
    await expectDashboard(page, "/overview");
    await page.goto("/sign-in?callbackUrl=%2Fapi-keys");
    await expectDashboard(page, "/api-keys");
  });
});

test("sign-out ends the session: the dashboard sends the visitor to sign-in", async ({ page, seedTenant, context }) => {
  await seedTenant();
  await page.goto("/overview");
  await expectDashboard(page, "/overview");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await (await context.request.get("/api/auth/session")).json()).toEqual({});

  await page.goto("/overview");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === "/overview");
});

test.describe("the per-address limit", () => {
  // One address for the whole test, as a single client hammering register/login would be.
  test.use({ clientAddress: "203.0.113.77" });

  test("sign-up shares the REST register/login limit of 30 a minute per address", async ({ page, api, uniqueEmail }) => {
    // Logins from this address until the window is used up, with time left in it for the sign-up below
    // (windows are fixed minutes: too close to the end, wait for the next one and start over).
    for (;;) {
      const login = await api.call("POST", "/auth/login", { body: { email: uniqueEmail("guess"), password: "guessing-password" } });
      expect([401, 429]).toContain(login.status);
      if (Number(login.headers["x-ratelimit-remaining"]) > 0) continue;
      const left = Number(login.headers["x-ratelimit-reset"]) * 1000 - Date.now();
      if (left > 15_000) break;
      await page.waitForTimeout(left + 200);
    }
    await page.goto("/sign-up");
    await fillSignUp(page, { name: "Limited", email: uniqueEmail("limited"), password: DEFAULT_PASSWORD });
    const signUp = page.waitForResponse((r) => r.url().includes("/api/trpc/auth.signUp"));
    await page.getByRole("button", { name: "Create account" }).click();
    expect((await signUp).status()).toBe(429);
    await expect(formAlert(page)).toHaveText(/^Too many requests\. Try again in \d+ seconds\.$/);
    await expect(page).toHaveURL(/\/sign-up$/);
  });
});
