/**
 * The API documentation's own send examples (../shared/seeds/004_…: "cURL", "Python", "fetch (JavaScript)"),
 * copied here character for character and run as the documentation's reader would run them: curl and
 * python3 (with requests) as processes, the fetch snippet as JavaScript. Only the host and the key are
 * replaced. The SDK example runs in tests/e2e/sdk/resources.spec.ts.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connectionBody } from "../helpers/connections";
import { expect, test, type BoundApi } from "./support/fixtures";

const run = promisify(execFile);

const CURL = `curl -X POST https://api.courierx.dev/api/v1/emails \\
-H "Authorization: Bearer cxk_live_..." \\
-H "Content-Type: application/json" \\
-d '{
"from_email": "hello@yourapp.com",
"to_email": "user@example.com",
"subject": "Hello from CourierX",
"html_body": "<h1>It works!</h1>"
}'`;

const PYTHON = `import requests
resp = requests.post(
"https://api.courierx.dev/api/v1/emails",
headers={"Authorization": "Bearer cxk_live_..."},
json={
"from_email": "hello@yourapp.com",
"to_email": "user@example.com",
"subject": "Hello from CourierX",
"html_body": "<h1>It works!</h1>",
},
)
print(resp.json()["id"], resp.json()["status"])`;

const FETCH = `const res = await fetch("https://api.courierx.dev/api/v1/emails", {
method: "POST",
headers: {
Authorization: "Bearer cxk_live_...",
"Content-Type": "application/json",
},
body: JSON.stringify({
from_email: "hello@yourapp.com",
to_email: "user@example.com",
subject: "Hello from CourierX",
html_body: "<h1>It works!</h1>",
}),
})
const { id, status } = await res.json()`;

/** The example with only the documentation's host and placeholder key replaced. */
function localized(example: string, baseURL: string, key: string): string {
  const replaced = example.replaceAll("https://api.courierx.dev", baseURL).replaceAll("cxk_live_...", key);
  expect(replaced.split("\n")).toHaveLength(example.split("\n").length);
  return replaced;
}

async function liveTenant(seedTenant: (options: { signIn: false }) => Promise<{ token: string }>, api: { as(token: string): BoundApi }, emulators: Parameters<typeof connectionBody>[0]) {
  const tenant = await seedTenant({ signIn: false });
  const owner = api.as(tenant.token);
  expect((await owner.post("/provider_connections", connectionBody(emulators, "sendgrid"))).status).toBe(201);
  const key = await owner.post("/api_keys", { name: "docs examples" });
  expect(key.status).toBe(201);
  return { owner, key: key.body.raw_key as string };
}

async function expectSent(owner: BoundApi, id: string) {
  await expect.poll(async () => (await owner.get(`/emails/${id}`)).body.status, { timeout: 20_000 }).toBe("sent");
  expect((await owner.get(`/emails/${id}`)).body).toMatchObject({ to_email: "user@example.com", subject: "Hello from CourierX", html_body: "<h1>It works!</h1>" });
}

test.describe("the documentation's send examples, verbatim", () => {
  test("cURL", async ({ baseURL, seedTenant, api, emulators }) => {
    const { owner, key } = await liveTenant(seedTenant, api, emulators);
    // Through a shell, as pasted into a terminal (the backslash continuations and the quoted body included).
    const { stdout } = await run("bash", ["-c", localized(CURL, baseURL!, key)]);
    const body = JSON.parse(stdout);
    expect(body).toMatchObject({ status: "queued", to_email: "user@example.com" });
    await expectSent(owner, body.id);
  });

  test("Python requests", async ({ baseURL, seedTenant, api, emulators }) => {
    const { owner, key } = await liveTenant(seedTenant, api, emulators);
    const { stdout } = await run("python3", ["-c", localized(PYTHON, baseURL!, key)]);
    const [id, status] = stdout.trim().split(" ");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(status).toBe("queued");
    await expectSent(owner, id!);
  });

  test("fetch (JavaScript)", async ({ baseURL, seedTenant, api, emulators }) => {
    const { owner, key } = await liveTenant(seedTenant, api, emulators);
    // The snippet is top-level-await code: run as the body of an async function that hands back its bindings.
    const snippet = new Function(`return (async () => {\n${localized(FETCH, baseURL!, key)}\nreturn { id, status, code: res.status }\n})()`) as () => Promise<{ id: string; status: string; code: number }>;
    const { id, status, code } = await snippet();
    expect(code).toBe(202);
    expect(status).toBe("queued");
    await expectSent(owner, id);
  });
});
