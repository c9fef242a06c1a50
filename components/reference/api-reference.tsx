"use client";
/**
 * Scalar's reference over our own /api/v1/openapi.json, configured to reach nothing but this app: no
 * hosted fonts, no request proxy (the "Test request" client calls /api/v1 directly, same origin), no
 * telemetry, no AI agent and no developer toolbar (whose share buttons upload the document to Scalar).
 */
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

export const OPENAPI_URL = "/api/v1/openapi.json";

// System fonts instead of the Inter and mono faces Scalar would fetch from fonts.scalar.com.
const CUSTOM_CSS = `
.scalar-app, .light-mode, .dark-mode {
  --scalar-font: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --scalar-custom-header-height: 3rem;
}`;

const CONFIGURATION = {
  url: OPENAPI_URL,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never" as const,
  hideClientButton: true,
  documentDownloadType: "json" as const,
  forceDarkModeState: "light" as const,
  hideDarkModeToggle: true,
  defaultOpenAllTags: true,
  customCss: CUSTOM_CSS,
  metaData: { title: "API reference — CourierX" },
};

export function ApiReference() {
  return <ApiReferenceReact configuration={CONFIGURATION} />;
}
