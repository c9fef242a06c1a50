import { Badge, type BadgeTone } from "../ui/badge";
import type { InvitationRow, Role } from "./types";

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };

/** What each role may do, in one sentence each (the invite form and the page's help). */
export const ROLE_HELP: Record<Role, string> = {
  owner: "Everything, including granting or taking the owner role.",
  admin: "Changes configuration and manages members (but not owners).",
  member: "Sees everything, changes nothing.",
};

const ROLE_TONES: Record<Role, BadgeTone> = { owner: "purple", admin: "indigo", member: "gray" };

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={ROLE_TONES[role]}>{ROLE_LABELS[role]}</Badge>;
}

const STATUS_TONES: Record<InvitationRow["status"], BadgeTone> = { pending: "blue", expired: "amber", accepted: "green" };
const STATUS_LABELS: Record<InvitationRow["status"], string> = { pending: "Pending", expired: "Expired", accepted: "Accepted" };

export function InvitationStatusBadge({ status }: { status: InvitationRow["status"] }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
