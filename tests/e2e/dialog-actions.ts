/** Small page helpers of the webhooks and API keys specs. */
import type { Locator, Page } from "@playwright/test";
import { expect } from "./support/fixtures";

/** The tRPC call a click starts (httpBatchLink: /api/trpc/<path>?batch=1). */
export function trpcResponse(page: Page, path: string) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === `/api/trpc/${path}`);
}

/** Clicks until the dialog opens: a click that lands before the page hydrated does nothing. */
export async function openDialog(page: Page, button: Locator, name: string): Promise<Locator> {
  const dialog = page.getByRole("dialog", { name });
  await expect(async () => {
    if (!(await dialog.isVisible())) await button.click({ timeout: 2_000 });
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  return dialog;
}
