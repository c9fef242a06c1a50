import { AppError } from "../../lib/errors";
import { assertOutboundUrlAllowed, isOutboundAddressError } from "../../lib/outbound-guard";
import { currentOutboundGuard } from "../provider-connections/check-outbound";

/**
 * A webhook URL is a destination the tenant chooses, so it follows the provider endpoints' policy: an
 * internal address (literal, or a name resolving to one) is a 422 when the endpoint is saved. Each attempt
 * is checked again at connect time (post-webhook.ts), which is what holds when a name's answer changes.
 */
export async function checkWebhookUrl(url: string): Promise<void> {
  try {
    await assertOutboundUrlAllowed(url, currentOutboundGuard());
  } catch (error) {
    if (!isOutboundAddressError(error)) throw error;
    if (error.temporary) throw AppError.validation(`url could not be checked: ${error.message}; try again`);
    throw AppError.validation(`url is not allowed: ${error.message}`);
  }
}
