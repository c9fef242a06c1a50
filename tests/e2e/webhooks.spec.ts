/**
 * Webhooks in the browser, against a real receiver: a node:http server on 127.0.0.1 started by the spec
 * (support/webhook-receiver.ts). The
 * signatures it receives are checked with the `standardwebhooks` package, as a customer's receiver would.
 */
import { Webhook } from "standardwebhooks";
import { openDialog, trpcResponse } from "./dialog-actions";
import { readOnlyMemberPage } from "./read-only-member";
import { expect, screenshot, test } from "./support/fixtures";
import { startReceiver, type Received, type Receiver } from "./support/webhook-receiver";

/** Checks a received request the way a customer's receiver does; returns the verified payload. */
function verify(secret: string, received: Received): Record<string, unknown> {
  return new Webhook(secret).verify(received.body, received.headers) as Record<string, unknown>;
}

let receiver: Receiver;
test.beforeEach(async () => {
  receiver = await startReceiver();
});
test.afterEach(async () => {
  await receiver.close();
});

test.describe("webhooks", () => {
  test("add an endpoint: the secret once, a signed test event, the delivery log with its attempt, a replay with the same webhook-id", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No webhook endpoints yet" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Verify signatures" })).toBeVisible();
    await screenshot(page, "webhooks-empty");

    const form = await openDialog(page, page.getByRole("button", { name: "Add an endpoint", exact: true }), "Add a webhook endpoint");
    const url = form.getByRole("textbox", { name: "URL" });

    // Checked in the browser with the service's own schema: nothing is sent.
    await url.fill("not a url");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(url).toHaveAccessibleDescription(/URL must be an http or https URL/);

    // Refused by the server's outbound guard (a name that resolves nowhere), shown at the URL field.
    await url.fill("http://no-such-receiver.invalid/hooks");
    const refused = trpcResponse(page, "webhookEndpoints.create");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    expect((await refused).status()).toBe(400);
    await expect(url).toHaveAccessibleDescription(/URL (is not allowed|could not be checked)/);
    await screenshot(page, "webhooks-create-error");

    await url.fill(`${receiver.url}/hooks/courierx`);
    await form.getByRole("textbox", { name: "Description (optional)" }).fill("Order service");
    await form.getByRole("checkbox", { name: /^delivered/ }).check();
    await form.getByRole("checkbox", { name: /^bounced/ }).check();
    const created = trpcResponse(page, "webhookEndpoints.create");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    expect((await created).status()).toBe(200);

    const reveal = page.getByRole("dialog", { name: "Your endpoint's signing secret" });
    const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await expect(reveal.getByLabel("Signing secret", { exact: true })).toHaveText(secret);
    await screenshot(page, "webhooks-secret");
    await reveal.getByRole("button", { name: "I've copied it" }).click();
    await expect(reveal).toBeHidden();
    await expect(page.getByText(secret)).toHaveCount(0);

    const row = page.getByRole("row", { name: /Order service/ });
    await expect(row).toContainText("delivered, bounced");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("None yet");
    await screenshot(page, "webhooks-list");

    // The endpoint's page: a test event, signed with the secret shown once.
    await row.getByRole("link").click();
    await expect(page.getByRole("heading", { name: "Order service", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
    const sent = trpcResponse(page, "webhookEndpoints.sendTest");
    await page.getByRole("button", { name: "Send test event" }).click();
    expect((await sent).status()).toBe(200);
    const result = page.getByRole("dialog", { name: "Test event sent" });
    await expect(result.getByRole("status")).toContainText("succeeded", { timeout: 20_000 });
    await expect(result).toContainText("HTTP 200");
    await expect(result.getByLabel("Response to attempt 1")).toHaveText(JSON.stringify({ received: 1 }));

    const [first] = await receiver.waitFor(1);
    expect(first!.path).toBe("/hooks/courierx");
    expect(verify(secret, first!)).toMatchObject({ event: "delivered", test: true, recipient: "test@example.com" });
    expect(first!.headers["webhook-id"]).toMatch(/^msg_/);
    // A forged body does not verify with that secret.
    expect(() => verify(secret, { ...first!, body: first!.body.replace("delivered", "bounced") })).toThrow();
    await result.getByRole("button", { name: "Close", exact: true }).last().click();

    // The delivery log: the delivery, and its attempt with the answer's snippet.
    const log = page.getByRole("table", { name: "Deliveries" });
    const delivery = log.getByRole("row").filter({ hasText: "delivered" });
    await expect(delivery).toHaveCount(1);
    await expect(delivery).toContainText("succeeded");
    await expect(delivery).toContainText("test@example.com");
    await screenshot(page, "webhook-detail");
    const details = await openDialog(page, delivery.getByRole("button", { name: "Details of the delivered delivery" }), "Delivery of the delivered event");
    await expect(details.getByLabel("Response to attempt 1")).toHaveText(JSON.stringify({ received: 1 }));
    await expect(details).toContainText("HTTP 200");
    await expect(details.getByRole("region", { name: "Payload" })).toContainText('"test": true');
    await screenshot(page, "webhook-delivery-details");
    await details.getByRole("button", { name: "Close" }).click();
    await expect(details).toBeHidden();

    // Filter by status in the URL: it survives a reload; clearing it brings the delivery back.
    await page.getByRole("combobox", { name: "Status" }).selectOption("failed");
    await expect(page).toHaveURL(/[?&]status=failed/);
    await expect(page.getByRole("heading", { name: "No failed deliveries" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("failed");
    await expect(page.getByRole("heading", { name: "No failed deliveries" })).toBeVisible();
    await screenshot(page, "webhook-deliveries-no-matches");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).not.toHaveURL(/status=/);
    await expect(delivery).toHaveCount(1);

    // Replay: a new delivery of the same message, arriving with the same webhook-id, signed again.
    const replayed = trpcResponse(page, "webhookEndpoints.replay");
    await delivery.getByRole("button", { name: "Replay the delivered delivery" }).click();
    expect((await replayed).status()).toBe(200);
    const [, second] = await receiver.waitFor(2);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(verify(secret, second!)).toEqual(verify(secret, first!));
    await expect(log.getByRole("row").filter({ has: page.getByText("replay", { exact: true }) })).toContainText("succeeded", { timeout: 20_000 });
    await expect(log.getByRole("row").filter({ hasText: "delivered" })).toHaveCount(2);

    // What the API says agrees with the page.
    const endpoints = await api.as(owner.token).get("/webhook_endpoints");
    expect(endpoints.body).toHaveLength(1);
    expect(endpoints.body[0]).toMatchObject({ url: `${receiver.url}/hooks/courierx`, description: "Order service", events: ["delivered", "bounced"], active: true });
  });

  test("rotate the secret: the new one shown once, and for 24 h deliveries verify with the new and the old", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/webhook_endpoints", { url: `${receiver.url}/rotate` });
    expect(created.status).toBe(201);
    const oldSecret = created.body.secret as string;
    await page.goto(`/webhooks/${created.body.id}`);

    const confirm = await openDialog(page, page.getByRole("button", { name: "Rotate secret" }), "Rotate the signing secret?");
    const rotated = trpcResponse(page, "webhookEndpoints.rotateSecret");
    await confirm.getByRole("button", { name: "Rotate secret" }).click();
    expect((await rotated).status()).toBe(200);
    const reveal = page.getByRole("dialog", { name: "Your new signing secret" });
    await expect(reveal).toContainText("24 hours");
    const newSecret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    await screenshot(page, "webhook-rotated-secret");
    await reveal.getByRole("button", { name: "I've copied it" }).click();
    await expect(page.getByText(newSecret)).toHaveCount(0);

    await page.getByRole("button", { name: "Send test event" }).click();
    const [received] = await receiver.waitFor(1);
    expect(received!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verify(newSecret, received!)).toMatchObject({ test: true });
    expect(verify(oldSecret, received!)).toMatchObject({ test: true });
  });

  test("edit the events and disable, then delete by typing the host", async ({ page, seedTenant, api }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/webhook_endpoints", { url: `${receiver.url}/edit`, events: ["bounced"] });
    await page.goto(`/webhooks/${created.body.id}`);
    const host = new URL(receiver.url).host;
    await expect(page.getByRole("heading", { name: host, level: 1 })).toBeVisible();

    const edit = await openDialog(page, page.getByRole("button", { name: "Edit" }), "Edit webhook endpoint");
    await expect(edit.getByRole("checkbox", { name: /^bounced/ })).toBeChecked();
    await edit.getByRole("checkbox", { name: /^bounced/ }).uncheck();
    await edit.getByRole("checkbox", { name: /^failed/ }).check();
    const saved = trpcResponse(page, "webhookEndpoints.update");
    await edit.getByRole("button", { name: "Save changes" }).click();
    expect((await saved).status()).toBe(200);
    await expect(edit).toBeHidden();
    expect((await api.as(owner.token).get(`/webhook_endpoints/${created.body.id}`)).body.events).toEqual(["failed"]);

    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog", { name: "Disable this endpoint?" }).getByRole("button", { name: "Disable endpoint" }).click();
    await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
    expect((await api.as(owner.token).get(`/webhook_endpoints/${created.body.id}`)).body.active).toBe(false);

    await page.getByRole("button", { name: "Delete" }).click();
    const remove = page.getByRole("dialog", { name: "Delete this webhook endpoint?" });
    await expect(remove.getByRole("button", { name: "Delete endpoint" })).toBeDisabled();
    await remove.getByRole("textbox").fill(host);
    const deleted = trpcResponse(page, "webhookEndpoints.delete");
    await remove.getByRole("button", { name: "Delete endpoint" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole("heading", { name: "No webhook endpoints yet" })).toBeVisible();
    expect((await api.as(owner.token).get(`/webhook_endpoints/${created.body.id}`)).status).toBe(404);
  });

  test("another tenant's endpoint is not found", async ({ page, seedTenant, api }) => {
    const other = await seedTenant({ signIn: false });
    const theirs = await api.as(other.token).post("/webhook_endpoints", { url: `${receiver.url}/theirs`, description: "Their receiver" });
    await seedTenant();
    await page.goto(`/webhooks/${theirs.body.id}`);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText("Their receiver")).toHaveCount(0);
    await expect(page.getByText(`${receiver.url}/theirs`)).toHaveCount(0);
  });

  test("a member sees endpoints and deliveries but no change controls", async ({ page, browser, baseURL, clientAddress, seedTenant, api, signIn, uniqueEmail }) => {
    const owner = await seedTenant();
    const created = await api.as(owner.token).post("/webhook_endpoints", { url: `${receiver.url}/member`, description: "Shared receiver" });
    await api.as(owner.token).post(`/webhook_endpoints/${created.body.id}/test`);
    await receiver.waitFor(1);
    const member = await readOnlyMemberPage({ browser, baseURL, clientAddress, owner: page, email: uniqueEmail("member"), signIn });

    await member.goto("/webhooks");
    await expect(member.getByRole("row", { name: /Shared receiver/ })).toBeVisible();
    await expect(member.getByRole("note")).toContainText("only owners and admins can change configuration");
    await expect(member.getByRole("button", { name: /Add/ })).toHaveCount(0);

    await member.getByRole("row", { name: /Shared receiver/ }).getByRole("link").click();
    await expect(member.getByRole("heading", { name: "Shared receiver", level: 1 })).toBeVisible();
    await expect(member.getByRole("table", { name: "Deliveries" }).getByRole("row").filter({ hasText: "delivered" })).toHaveCount(1);
    for (const name of ["Send test event", "Edit", "Disable", "Delete", "Rotate secret", /^Replay/]) {
      await expect(member.getByRole("button", { name })).toHaveCount(0);
    }
    await screenshot(member, "webhook-detail-member");
    await member.context().close();
  });
});
