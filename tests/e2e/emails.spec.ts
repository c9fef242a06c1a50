import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import type { ProviderName } from "@/server/providers/types";
import type { Emulators } from "../emulators";
import { connectionBody } from "../helpers/connections";
import { expect, screenshot, test, type BoundApi } from "./support/fixtures";

/** The tRPC call a page makes (httpBatchLink: /api/trpc/<path>[,<path>…]?batch=1). */
function trpcResponse(page: Page, path: string) {
  return page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname.startsWith("/api/trpc/") && url.pathname.slice("/api/trpc/".length).split(",").includes(path);
  });
}

async function testKey(api: BoundApi): Promise<string> {
  const res = await api.post("/api_keys", { name: "e2e sandbox", mode: "test" });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.raw_key;
}

/** Sends through the REST API and waits until the email has left `queued` (and, for `until`, reached it). */
async function send(api: BoundApi, body: Record<string, unknown>, until?: string): Promise<string> {
  const res = await api.post("/emails", { from_email: "hello@yourapp.com", subject: "Hello", text_body: "Hello", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const id: string = res.body.id;
  await expect
    .poll(async () => (await api.get(`/emails/${id}`)).body.status, { timeout: 20_000 })
    .toBe(until ?? "sent");
  return id;
}

/** Connects each provider to this worker's emulator under its name and priority; their ids by provider. */
async function connectAll(session: BoundApi, emulators: Emulators, connections: [ProviderName, string, number][]): Promise<Partial<Record<ProviderName, string>>> {
  const ids: Partial<Record<ProviderName, string>> = {};
  for (const [provider, name, priority] of connections) {
    const res = await session.post("/provider_connections", connectionBody(emulators, provider, { display_name: name, priority }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[provider] = res.body.id;
  }
  return ids;
}

/** A webhook receiver on loopback that answers 200 (the app may call loopback in the embedded default). */
async function startReceiver(): Promise<{ url: string; received: string[]; stop(): Promise<void> }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const rows = (page: Page) => page.getByRole("table", { name: /Emails/ }).getByRole("row").filter({ has: page.getByRole("cell") });

test.describe("emails", () => {
  test("a new account has no emails yet, with the next steps", async ({ page, seedTenant }) => {
    await seedTenant();
    await page.goto("/emails");
    await expect(page.getByRole("heading", { name: "Emails", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No emails yet" })).toBeVisible();
    const main = page.getByRole("main");
    await expect(main.getByRole("link", { name: "Send a test email" }).last()).toHaveAttribute("href", "/send");
    await expect(main.getByRole("link", { name: "Create an API key" })).toHaveAttribute("href", "/api-keys");
    await expect(main.getByRole("link", { name: "Read the quickstart" })).toBeVisible();
    await screenshot(page, "emails-empty");
  });

  test("the list shows sent emails; status and mode filters narrow it, survive a reload, and clear", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const key = api.as(await testKey(api.as(owner.token)));
    await send(key, { to_email: "delivered@sandbox.courierx.dev", subject: "Delivered one" }, "delivered");
    await send(key, { to_email: "bounced@sandbox.courierx.dev", subject: "Bounced one" }, "bounced");
    await send(key, { to_email: "someone@example.com", subject: "Sent one" }, "sent");

    await page.goto("/emails");
    await expect(rows(page)).toHaveCount(3);
    await expect(rows(page).first()).toContainText("someone@example.com");
    await expect(rows(page).filter({ hasText: "Bounced one" })).toContainText("bounced");
    await expect(rows(page).filter({ hasText: "Delivered one" })).toContainText("delivered");
    await expect(page.getByText("Showing 1–3 of 3")).toBeVisible();
    await screenshot(page, "emails-list");

    const filtered = trpcResponse(page, "emails.list");
    await page.getByRole("combobox", { name: "Status" }).selectOption("bounced");
    expect((await filtered).status()).toBe(200);
    await expect(page).toHaveURL(/[?&]status=bounced/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("bounced@sandbox.courierx.dev");

    // The filtered URL is the list: a reload (the server parses the same parameters) shows the same rows.
    await page.reload();
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("bounced");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("Bounced one");

    // Recipient search is a partial match.
    await page.getByRole("combobox", { name: "Status" }).selectOption("");
    await page.getByRole("searchbox", { name: "Recipient" }).fill("someone@");
    await expect(page).toHaveURL(/[?&]recipient=someone/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("Sent one");

    // Every email here is a test email: live only matches nothing, and says so.
    await page.getByRole("combobox", { name: "Mode" }).selectOption("false");
    await expect(page).toHaveURL(/[?&]test=false/);
    await expect(page.getByRole("heading", { name: "No emails match these filters" })).toBeVisible();
    await screenshot(page, "emails-no-matches");
    await page.getByRole("main").getByRole("button", { name: "Clear filters" }).first().click();
    await expect(rows(page)).toHaveCount(3);
    await expect(page).not.toHaveURL(/status=|recipient=|test=/);
    await expect(page.getByRole("searchbox", { name: "Recipient" })).toHaveValue("");

    // A row is one link away from its email, by keyboard too.
    await rows(page).filter({ hasText: "Delivered one" }).getByRole("link").focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/emails\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: "Delivered one", level: 1 })).toBeVisible();
  });

  test("the detail shows the whole timeline (failover, provider events, webhooks) and previews the HTML in a sandbox", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const session = api.as(owner.token);
    await connectAll(session, emulators, [
      ["sendgrid", "SendGrid Primary", 1],
      ["postmark", "Postmark Backup", 2],
    ]);
    const receiver = await startReceiver();
    try {
      expect((await session.post("/webhook_endpoints", { url: receiver.url, description: "E2E receiver" })).status).toBe(201);
      const key = api.as(await testKey(session));
      const html = `<h1>Welcome, Alice!</h1><img src="https://example.com/pixel.gif" alt="tracking pixel"><p id="out">script did not run</p><script>document.getElementById("out").textContent = "script ran"; document.title = "script ran";</script>`;
      // The test-mode sandbox plays SendGrid's outage: the attempt fails there and fails over to Postmark.
      const id = await send(
        key,
        {
          to_email: "clicked@sandbox.courierx.dev",
          to_name: "Alice",
          subject: "Failover with events",
          html_body: html,
          text_body: "Welcome, Alice!\nPlain text.",
          tags: ["welcome"],
          metadata: { courierx_simulate_failure: "sendgrid", user_id: "usr_123" },
        },
        "delivered",
      );
      // sent, delivered, opened, clicked: one delivery each.
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(4);

      await page.goto(`/emails/${id}`);
      await expect(page.getByRole("heading", { name: "Failover with events", level: 1 })).toBeVisible();
      await expect(page.getByText("Alice <clicked@sandbox.courierx.dev>")).toBeVisible();
      await expect(page.getByText(id, { exact: true })).toBeVisible();
      await expect(page.getByRole("button", { name: "Copy email ID" })).toBeVisible();

      const timeline = page.getByRole("list", { name: "Timeline" });
      const entries = timeline.locator(":scope > li");
      await expect(entries).toHaveCount(6);
      await expect(entries.nth(0)).toContainText("Queued");
      await expect(entries.nth(1)).toContainText("Attempt failed on SendGrid Primary");
      await expect(entries.nth(1)).toContainText("Simulated sendgrid outage");
      await expect(entries.nth(1)).toContainText("Transient: moved on to the next provider");
      await expect(entries.nth(1)).toContainText(/Duration\s*\d+ ms/);
      await expect(entries.nth(2)).toContainText("Sent through Postmark Backup");
      await expect(entries.nth(3)).toContainText("Delivered");
      await expect(entries.nth(4)).toContainText("Opened");
      await expect(entries.nth(5)).toContainText("Link clicked");
      await expect(entries.nth(5)).toContainText("https://example.com/sandbox-link");
      // Each webhook-carried event shows its delivery to the receiver.
      for (const i of [2, 3, 4, 5]) {
        const delivery = entries.nth(i).getByRole("list", { name: "Webhook deliveries" }).getByRole("listitem");
        await expect(delivery).toHaveCount(1);
        await expect(delivery).toContainText("succeeded");
        await expect(delivery).toContainText("E2E receiver");
        await expect(delivery).toContainText("HTTP 200");
      }

      // The HTML runs in a frame with every sandbox permission withheld: the script never ran.
      const frame = page.locator('iframe[title="HTML preview of the email"]');
      await expect(frame).toHaveAttribute("sandbox", "");
      await expect(frame).toHaveAttribute("referrerpolicy", "no-referrer");
      await expect(page.frameLocator('iframe[title="HTML preview of the email"]').locator("h1")).toHaveText("Welcome, Alice!");
      await expect(page.frameLocator('iframe[title="HTML preview of the email"]').locator("#out")).toHaveText("script did not run");
      await expect(page).not.toHaveTitle("script ran");
      // Remote images stay blocked until asked for.
      expect(await frame.getAttribute("srcdoc")).toContain("img-src data: cid:;");
      await expect(page.getByText("1 remote image is blocked.")).toBeVisible();
      await page.getByRole("checkbox", { name: "Load remote images" }).check();
      await expect(frame).toHaveAttribute("srcdoc", /img-src data: cid: https: http:;/);
      await expect(page.getByLabel("Plain text body")).toHaveText("Welcome, Alice!\nPlain text.");
      await page.getByRole("checkbox", { name: "Load remote images" }).uncheck();
      await screenshot(page, "email-detail");
    } finally {
      await receiver.stop();
    }
  });

  test("an email sent with its own routing and provider overrides shows them by name, never an SMTP password", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const session = api.as(owner.token);
    const ids = await connectAll(session, emulators, [
      ["sendgrid", "SendGrid Primary", 1],
      ["postmark", "Postmark Receipts", 2],
    ]);
    const live = api.as((await session.post("/api_keys", { name: "e2e live" })).body.raw_key as string);
    const id = await send(live, {
      to_email: "receipt@example.com",
      subject: "Routed receipt",
      routing: { connections: [ids.postmark, ids.sendgrid] },
      provider_overrides: {
        postmark: { body: { MessageStream: "receipts", Tag: "receipt" } },
        // Never used (the email goes through Postmark): loopback, which the embedded default allows.
        smtp: { config: { host: "127.0.0.1", port: 2525, auth: { user: "relay-user", pass: "relay-secret-e2e-91" } } },
      },
    });
    const detail = await session.get(`/emails/${id}`);
    expect(detail.body.routing).toEqual({ connections: [ids.postmark, ids.sendgrid] });
    expect(detail.body.provider).toBe("postmark");
    expect(JSON.stringify(detail.body)).not.toContain("relay-secret-e2e-91");

    await page.goto(`/emails/${id}`);
    await expect(page.getByRole("heading", { name: "Sent as asked" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Routed connections" })).toHaveText(/Postmark Receipts.*SendGrid Primary/);
    const overrides = page.getByRole("list", { name: "Provider overrides" });
    // Field names in the order the database keeps them (jsonb orders keys), so each on its own.
    for (const field of ["MessageStream", "Tag"]) await expect(overrides.getByRole("listitem").filter({ hasText: "Postmark" })).toContainText(field);
    await expect(overrides.getByRole("listitem").filter({ hasText: "SMTP" })).toContainText("own transport: 127.0.0.1");
    await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Sent through Postmark Receipts");
    expect(await page.content()).not.toContain("relay-secret-e2e-91");
    await screenshot(page, "email-detail-routed");
  });

  test("a queued email's detail updates by itself until it is sent", async ({ page, seedTenant, api, emulators }) => {
    const owner = await seedTenant();
    const session = api.as(owner.token);
    expect((await session.post("/provider_connections", connectionBody(emulators, "sendgrid", { display_name: "Flaky SendGrid" }))).status).toBe(201);
    const live = await session.post("/api_keys", { name: "e2e live" });
    // Scheduled 12 s ahead, so the page is open while the email is still queued, however slowly the machine
    // renders it; then the only connection fails once (transient) and the next round (1 s later) sends it.
    // Healing on cue instead raced the circuit breaker: on a loaded machine the page rendered after the third
    // failure had opened the circuit, and the last round skipped the connection.
    await emulators.fail("sendgrid", "5xx", { times: 1 });
    const scheduledAt = new Date(Date.now() + 12_000).toISOString();
    const res = await api.as(live.body.raw_key).post("/emails", { from_email: "hello@yourapp.com", to_email: "person@example.com", subject: "Retried", text_body: "Hi", scheduled_at: scheduledAt });
    expect(res.status).toBe(202);
    await page.goto(`/emails/${res.body.id}`);
    const timeline = page.getByRole("list", { name: "Timeline" });
    await expect(timeline).toContainText("Queued");
    await expect(timeline).not.toContainText("Attempt failed");
    await expect(timeline).not.toContainText("Sent through");
    // No reload from here: the page polls while the email is queued.
    await expect(timeline).toContainText("Attempt failed on Flaky SendGrid", { timeout: 30_000 });
    await expect(timeline).toContainText("Every provider failed: retry scheduled");
    await expect(timeline).toContainText("Sent through Flaky SendGrid", { timeout: 20_000 });
    await expect(page.getByRole("heading", { name: "Retried", level: 1 })).toBeVisible();
    expect((await session.get(`/emails/${res.body.id}`)).body.status).toBe("sent");
  });

  test("another account's email, or an id that does not exist, is not found", async ({ page, seedTenant, api }) => {
    const other = await seedTenant({ signIn: false });
    const key = api.as(await testKey(api.as(other.token)));
    const foreign = await send(key, { to_email: "someone@example.com", subject: "Not yours" });
    await seedTenant();
    for (const id of [foreign, "00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      await page.goto(`/emails/${id}`);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      await expect(page.getByText("Not yours")).toHaveCount(0);
    }
    await screenshot(page, "email-not-found");
  });
});
