/**
 * The reserved sandbox addresses and what each plays, read from the sandbox itself (server only: the send
 * page hands the list to the form as props, so there is no second copy of the scenarios).
 */
import { SANDBOX_DOMAIN, SANDBOX_SCENARIOS } from "@/server/services/events/simulate-sandbox-events";

export interface SandboxAddress {
  address: string;
  /** The events the sandbox records after `sent`, e.g. "delivered, complained". */
  events: string;
}

export function sandboxAddresses(): SandboxAddress[] {
  return Object.entries(SANDBOX_SCENARIOS).map(([local, scenario]) => ({
    address: `${local}@${SANDBOX_DOMAIN}`,
    events: scenario.map((event) => (event.bounceType ? `${event.type} (${event.bounceType})` : event.type)).join(", "),
  }));
}
