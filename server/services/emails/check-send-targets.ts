/**
 * Accept-time checks of what a send points at beyond its own fields: `routing.connections` must name this
 * account's connections (resolved here to ids, which the email stores), and an SMTP config override's host
 * must be one the outbound guard allows. A send with neither costs nothing; a batch reads the account's
 * connections once. Problems are per item, so that a batch answers each item's own 422.
 */
import { isAppError } from "../../lib/errors";
import { loadRoutingTargets, resolveRoutingRefs, type RoutingTarget } from "../delivery/resolve-routing";
import { checkProviderOverrideTargets } from "./provider-override-storage";
import type { SendEmailInput } from "./schemas";

/** A validated send with its routing resolved: what queueEmails stores. */
export type CheckedSend = SendEmailInput & { routingConnectionIds: string[] };

export type SendTargetCheck = { send: CheckedSend } | { errors: string[] };

export async function checkSendTargets(tenantId: string, inputs: readonly SendEmailInput[]): Promise<SendTargetCheck[]> {
  let targets: Promise<RoutingTarget[]> | undefined;
  return Promise.all(
    inputs.map(async (input): Promise<SendTargetCheck> => {
      const errors: string[] = [];
      let routingConnectionIds: string[] = [];
      if (input.routing) {
        targets ??= loadRoutingTargets(tenantId);
        const resolved = resolveRoutingRefs(await targets, input.routing.connections);
        if ("errors" in resolved) errors.push(...resolved.errors);
        else routingConnectionIds = resolved.ids;
      }
      try {
        await checkProviderOverrideTargets(input.provider_overrides);
      } catch (error) {
        if (!isAppError(error) || error.code !== "validation") throw error;
        errors.push(...error.details);
      }
      return errors.length > 0 ? { errors } : { send: { ...input, routingConnectionIds } };
    }),
  );
}
