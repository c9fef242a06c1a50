import type { MemberRow, Role } from "./types";

/**
 * The roles the signed-in user may give another member, or null when they cannot change that member's role
 * (the server holds the same rules, under a lock): only owners and admins manage members; only an owner
 * grants the owner role or changes an owner; nobody changes their own role.
 */
export function assignableRoles(actor: { id: string; role: Role } | null, member: MemberRow): Role[] | null {
  if (!actor || actor.id === member.id || actor.role === "member") return null;
  if (actor.role === "admin") return member.role === "owner" ? null : ["admin", "member"];
  return ["owner", "admin", "member"];
}

/** Whether the signed-in user may remove that member: as for roles (an admin cannot remove an owner). */
export function canRemove(actor: { id: string; role: Role } | null, member: MemberRow): boolean {
  return assignableRoles(actor, member) !== null;
}
