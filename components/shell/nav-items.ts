/** The dashboard's sections, in the order of the sidebar. */
export const NAV_ITEMS = [
  { href: "/overview", label: "Overview" },
  { href: "/emails", label: "Emails" },
  { href: "/send", label: "Send a test" },
  { href: "/providers", label: "Providers" },
  { href: "/routing-rules", label: "Routing rules" },
  { href: "/domains", label: "Domains" },
  { href: "/suppressions", label: "Suppressions" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/api-keys", label: "API keys" },
  { href: "/settings", label: "Settings" },
] as const;
