/**
 * One tenant with a row of every kind the dashboard's procedures take an id of, made through the routers
 * themselves, and one case per procedure of the router: a new procedure without a case fails the tests that
 * walk them (procedure-access.test.ts).
 */
import { expect } from "vitest";
import { TRPCError } from "@trpc/server";
import type { SessionClaims } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import { api } from "../../helpers/api";
import { addUser, callerFor, signUpOwner, type Owner } from "../../helpers/trpc";

export interface World {
  owner: Owner;
  connectionId: string;
  ruleId: string;
  domainId: string;
  suppressionId: string;
  endpointId: string;
  deliveryId: string;
  apiKeyId: string;
  emailId: string;
  memberId: string;
  invitationId: string;
  invitationToken: string;
}

let n = 0;

export async function buildWorld(name = "Tenant A"): Promise<World> {
  const owner = await signUpOwner(name);
  const caller = callerFor(owner.session);
  // Postmark (its webhook credentials can be rotated) at an endpoint that refuses connections: created, verification failed.
  const connection = await caller.providerConnections.create({ provider: "postmark", api_key: "pm-test-key-123456789", endpoint: "http://127.0.0.1:9/" });
  const rule = await caller.routingRules.create({ name: "Everything", providers: [{ connection_id: connection.id }] });
  const domain = await caller.domains.create({ domain: `mail${++n}.example.com` });
  const suppression = await caller.suppressions.create({ email: "blocked@example.com" });
  const endpoint = await caller.webhookEndpoints.create({ url: "https://hooks.localhost/courierx" });
  const delivery = await caller.webhookEndpoints.sendTest({ id: endpoint.id });
  const apiKey = await caller.apiKeys.create({ name: "dashboard key", mode: "test" });
  const sent = await api.post("/api/v1/emails", { from_email: "app@example.com", to_email: "someone@example.com", subject: "Hi", html_body: "<p>Hi</p>" }, { token: owner.apiKey });
  expect(sent.status, sent.text).toBe(202);
  const member = await addUser(owner.session.tenantId, "member");
  const invitation = await caller.members.invite({ email: `invited${++n}@example.com`, role: "member" });
  return {
    owner,
    connectionId: connection.id,
    ruleId: rule.id,
    domainId: domain.id,
    suppressionId: suppression.id,
    endpointId: endpoint.id,
    deliveryId: delivery.id,
    apiKeyId: apiKey.id,
    emailId: sent.body.id,
    memberId: member.userId,
    invitationId: invitation.id,
    invitationToken: invitation.link.split("/").pop()!,
  };
}

/** The input each procedure is called with: ids are the world's rows, data is valid. */
export const CASES: Record<string, (w: World) => unknown> = {
  "account.me": () => undefined,
  "account.updateSettings": () => ({ unsubscribe_by_default: true }),
  "analytics.metrics": () => ({ period: "7d" }),
  "analytics.usage": () => ({}),
  "analytics.overview": () => ({ period: "30d", test: "true" }),
  "auth.signUp": () => ({ name: "Signed up", email: `signup${++n}@example.com`, password: "correct horse battery", password_confirmation: "correct horse battery" }),
  "apiKeys.list": () => ({}),
  "apiKeys.create": () => ({ name: "another key", mode: "live" }),
  "apiKeys.revoke": (w) => ({ id: w.apiKeyId }),
  "apiKeys.delete": (w) => ({ id: w.apiKeyId }),
  "domains.list": () => ({}),
  "domains.get": (w) => ({ id: w.domainId }),
  "domains.create": () => ({ domain: `other${++n}.example.com` }),
  "domains.verify": (w) => ({ id: w.domainId }),
  "domains.delete": (w) => ({ id: w.domainId }),
  "emails.list": () => ({ status: "queued" }),
  "emails.get": (w) => ({ id: w.emailId }),
  "invitations.preview": (w) => ({ token: w.invitationToken }),
  "invitations.accept": (w) => ({ token: w.invitationToken, name: "Invited", password: "correct horse battery", password_confirmation: "correct horse battery" }),
  "members.list": () => ({}),
  "members.invitations": () => ({}),
  "members.changeRole": (w) => ({ id: w.memberId, role: "admin" }),
  "members.remove": (w) => ({ id: w.memberId }),
  "members.leave": () => undefined,
  "members.invite": () => ({ email: `invited${++n}@example.com`, role: "member" }),
  "members.revokeInvitation": (w) => ({ id: w.invitationId }),
  "members.regenerateInvitation": (w) => ({ id: w.invitationId }),
  "emails.timeline": (w) => ({ id: w.emailId }),
  "providerConnections.list": () => ({}),
  "providerConnections.get": (w) => ({ id: w.connectionId }),
  "providerConnections.create": () => ({ provider: "sendgrid", api_key: "SG.test-key-123456789", endpoint: "http://127.0.0.1:9/" }),
  "providerConnections.update": (w) => ({ id: w.connectionId, data: { display_name: "Renamed" } }),
  "providerConnections.verify": (w) => ({ id: w.connectionId }),
  "providerConnections.rotateWebhookCredentials": (w) => ({ id: w.connectionId }),
  "providerConnections.delete": (w) => ({ id: w.connectionId }),
  "routingRules.list": () => ({}),
  "routingRules.get": (w) => ({ id: w.ruleId }),
  "routingRules.create": (w) => ({ name: "Another", providers: [{ connection_id: w.connectionId }] }),
  "routingRules.update": (w) => ({ id: w.ruleId, data: { name: "Renamed" } }),
  "routingRules.delete": (w) => ({ id: w.ruleId }),
  "send.sendTest": () => ({ mode: "test", data: { from_email: "app@example.com", to_email: "delivered@sandbox.courierx.dev", subject: "Hi", text_body: "Hi" } }),
  "suppressions.list": () => ({ reason: "manual" }),
  "suppressions.create": () => ({ email: "another@example.com" }),
  "suppressions.delete": (w) => ({ id: w.suppressionId }),
  "webhookEndpoints.list": () => ({}),
  "webhookEndpoints.get": (w) => ({ id: w.endpointId }),
  "webhookEndpoints.create": () => ({ url: "https://hooks.localhost/another" }),
  "webhookEndpoints.update": (w) => ({ id: w.endpointId, data: { description: "Renamed" } }),
  "webhookEndpoints.delete": (w) => ({ id: w.endpointId }),
  "webhookEndpoints.rotateSecret": (w) => ({ id: w.endpointId }),
  "webhookEndpoints.deliveries": (w) => ({ id: w.endpointId }),
  "webhookEndpoints.replay": (w) => ({ id: w.endpointId, deliveryId: w.deliveryId }),
  "webhookEndpoints.sendTest": (w) => ({ id: w.endpointId }),
};

/** Procedures for people without a session (sign-up, an invitation link's sign-up): outside the tenant ladder. */
export const PUBLIC_PROCEDURES = new Set(["auth.signUp", "invitations.preview", "invitations.accept"]);
/** Mutations anyone signed in may run on themselves, a member too (tests/integration/members/ covers them). */
export const SELF_SERVICE_MUTATIONS = new Set(["members.leave"]);

interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  /** Takes the id of a tenant-owned row (its input includes an `id`). */
  takesId: boolean;
}

/** Every procedure of the app router, read from its definition. */
export function procedures(): ProcedureInfo[] {
  const defs = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo["type"]; inputs: unknown[] } }>;
  return Object.entries(defs)
    .map(([path, proc]) => ({
      path,
      type: proc._def.type,
      takesId: proc._def.inputs.some((input) => input instanceof Object && "shape" in input && Object.hasOwn((input as { shape: object }).shape, "id")),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Calls a procedure by its path through createCaller; resolves to "ok" or the tRPC error code. */
export async function outcome(session: SessionClaims | null, path: string, input: unknown): Promise<string> {
  const fn = path.split(".").reduce<any>((node, key) => node[key], callerFor(session));
  try {
    await fn(input);
    return "ok";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}
