/**
 * Members and invitations. `members`: everyone in the tenant reads; owners and admins change (the services
 * re-check the acting user's role under the tenant lock and hold the owner rules); `leave` is anyone's own.
 * `invitations`: the public side of a link (preview, accept), for people who have no session yet.
 */
import type { Invitation, Tenant, User } from "../../db";
import { acceptInvitation } from "../../services/members/accept-invitation";
import { changeMemberRole } from "../../services/members/change-member-role";
import { createInvitation } from "../../services/members/create-invitation";
import { invitationStatus } from "../../services/members/invitation-token";
import { leaveTenant } from "../../services/members/leave-tenant";
import { listInvitations } from "../../services/members/list-invitations";
import { listMembers } from "../../services/members/list-members";
import { previewInvitation } from "../../services/members/preview-invitation";
import { regenerateInvitation } from "../../services/members/regenerate-invitation";
import { removeMember } from "../../services/members/remove-member";
import { revokeInvitation } from "../../services/members/revoke-invitation";
import { acceptInvitationInput, changeMemberRoleInput, createInvitationInput, invitationTokenInput } from "../../services/members/schemas";
import { adminProcedure, createTRPCRouter, idInput, listInput, paged, parseId, publicProcedure, tenantProcedure } from "../init";

function presentMember(user: User) {
  return { id: user.id, name: user.name, email: user.email, role: user.role, created_at: user.createdAt.toISOString() };
}

type InvitationRow = Invitation & { invitedBy?: Pick<User, "name" | "email"> | null };

/** Never the token nor its hash: the link exists only in the answer of invite and regenerate. */
function presentInvitation(invitation: InvitationRow) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitationStatus(invitation),
    expires_at: invitation.expiresAt.toISOString(),
    accepted_at: invitation.acceptedAt?.toISOString() ?? null,
    created_at: invitation.createdAt.toISOString(),
    invited_by: invitation.invitedBy ? { name: invitation.invitedBy.name, email: invitation.invitedBy.email } : null,
  };
}

function withLink(invitation: Invitation, token: string, baseUrl: string) {
  return { ...presentInvitation(invitation), link: `${baseUrl}/invite/${token}` };
}

function presentAccountName(tenant: Tenant) {
  return { id: tenant.id, name: tenant.name };
}

export const membersRouter = createTRPCRouter({
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listMembers(ctx.tenantId, input);
    return paged(items.map(presentMember), total, input);
  }),

  invitations: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listInvitations(ctx.tenantId, input);
    return paged(items.map(presentInvitation), total, input);
  }),

  changeRole: adminProcedure
    .input(changeMemberRoleInput)
    .mutation(async ({ ctx, input }) => presentMember(await changeMemberRole(ctx.tenantId, ctx.userId, parseId(input.id), input.role))),

  remove: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.tenantId, ctx.userId, parseId(input.id));
    return { removed: true as const };
  }),

  // Anyone's own: the user is deleted and their session ends (the last owner is refused).
  leave: tenantProcedure.mutation(async ({ ctx }) => {
    await leaveTenant(ctx.tenantId, ctx.userId);
    return { left: true as const };
  }),

  // The link (and its token) is in this answer only.
  invite: adminProcedure.input(createInvitationInput).mutation(async ({ ctx, input }) => {
    const { invitation, token } = await createInvitation(ctx.tenantId, ctx.userId, input);
    return withLink(invitation, token, ctx.baseUrl);
  }),

  revokeInvitation: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await revokeInvitation(ctx.tenantId, ctx.userId, parseId(input.id));
    return { revoked: true as const };
  }),

  // A new link, good for 7 days; the old one stops working.
  regenerateInvitation: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const { invitation, token } = await regenerateInvitation(ctx.tenantId, ctx.userId, parseId(input.id));
    return withLink(invitation, token, ctx.baseUrl);
  }),
});

export const invitationsRouter = createTRPCRouter({
  // Whose account, which address and role, and whether the link still works; NOT_FOUND for a dead link.
  preview: publicProcedure.input(invitationTokenInput).query(async ({ input }) => {
    const { invitation, tenant, status } = await previewInvitation(input.token);
    return { account: presentAccountName(tenant), email: invitation.email, role: invitation.role, status, expires_at: invitation.expiresAt.toISOString() };
  }),

  // Signs up with the invitation's email; the browser then signs in with next-auth using that email.
  accept: publicProcedure.input(acceptInvitationInput).mutation(async ({ input }) => {
    const { user, tenant } = await acceptInvitation(input);
    return { user: presentMember(user), account: presentAccountName(tenant) };
  }),
});
