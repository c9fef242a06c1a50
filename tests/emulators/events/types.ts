/** A provider's webhook request as it would arrive: the exact body bytes and the headers it signs with. */
export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}
