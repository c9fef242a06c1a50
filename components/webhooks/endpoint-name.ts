import type { WebhookEndpoint } from "./types";

/** The URL's host (what a person calls the endpoint, and types to confirm its deletion). */
export function endpointHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The endpoint's title: its description, else its host. */
export function endpointName(endpoint: Pick<WebhookEndpoint, "url" | "description">): string {
  return endpoint.description?.trim() || endpointHost(endpoint.url);
}
