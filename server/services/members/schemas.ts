import { z } from "zod";
import { displayName, emailAddress, newPasswordFields, withPasswordConfirmation } from "../accounts/schemas";

export const MEMBER_ROLES = ["owner", "admin", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** An invitation makes an admin or a member; owners are made by an owner, from among the members. */
export const INVITABLE_ROLES = ["admin", "member"] as const;

export const memberRole = z.enum(MEMBER_ROLES, { message: `must be one of: ${MEMBER_ROLES.join(", ")}` });

export const changeMemberRoleInput = z.strictObject({ id: z.string(), role: memberRole });

export const createInvitationInput = z.strictObject({
  email: emailAddress,
  role: z.enum(INVITABLE_ROLES, { message: `must be one of: ${INVITABLE_ROLES.join(", ")}` }).default("member"),
});

/** A link's token as it arrives from the URL: checked for shape in the service (a malformed one is simply not found). */
export const invitationTokenInput = z.strictObject({ token: z.string().max(200) });

/** The sign-up through an invitation link: the email is the invitation's, not the user's to choose. */
export const acceptInvitationFields = z.strictObject({ name: displayName, ...newPasswordFields });
export const acceptInvitationForm = withPasswordConfirmation(acceptInvitationFields);
export const acceptInvitationInput = withPasswordConfirmation(acceptInvitationFields.extend({ token: z.string().max(200) }));

export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleInput>;
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;
