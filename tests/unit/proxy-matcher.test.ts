import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { config } from "@/proxy";

// proxy.ts's matcher must be literal (Next reads it at build time), so nothing derives it from the sidebar:
// this keeps the two in step, or a new section's signed-out visitors would lose their way back.
describe("proxy matcher", () => {
  it("covers every dashboard section of the sidebar, and its sub-pages where the section has them", () => {
    for (const { href } of NAV_ITEMS) {
      expect(config.matcher.some((m) => m === href || m === `${href}/:path*`), href).toBe(true);
    }
    expect(config.matcher).toHaveLength(NAV_ITEMS.length);
  });
});
