/**
 * A member (read-only role) of a seeded tenant, signed into a browser of their own: invited by the owner's
 * signed-in page through tRPC (members.invite) and signed up through the link (invitations.accept), as the
 * members page and the invitation page do. For specs that check a member sees no change controls.
 */
import type { Browser, Page } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, type Credentials } from "./support/fixtures";

export async function readOnlyMemberPage(options: {
  browser: Browser;
  baseURL: string | undefined;
  clientAddress: string;
  owner: Page;
  email: string;
  signIn: (credentials: Credentials, context: import("@playwright/test").BrowserContext) => Promise<void>;
}): Promise<Page> {
  const { browser, baseURL, clientAddress, owner, email, signIn } = options;
  const invited = await owner.request.post("/api/trpc/members.invite", { data: { email, role: "member" } });
  expect(invited.status(), "members.invite").toBe(200);
  const link = ((await invited.json()) as { result: { data: { link: string } } }).result.data.link;
  const token = new URL(link).pathname.split("/").pop();
  const accepted = await owner.request.post("/api/trpc/invitations.accept", { data: { token, name: "Read Only", password: DEFAULT_PASSWORD, password_confirmation: DEFAULT_PASSWORD } });
  expect(accepted.status(), "invitations.accept").toBe(200);
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress }, viewport: { width: 1280, height: 800 } });
  await signIn({ email, password: DEFAULT_PASSWORD }, context);
  return context.newPage();
}
