"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { Select } from "../ui/input";
import { ROLE_LABELS } from "./role-badge";
import type { MemberRow, Role } from "./types";

/** The member's role as a select; a change applies at once and signs them out of the dashboard. */
export function MemberRoleSelect({ member, roles }: { member: MemberRow; roles: Role[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const change = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: async (updated) => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
        toast.success(`${updated.name} is now ${updated.role === "admin" ? "an" : "a"} ${ROLE_LABELS[updated.role].toLowerCase()}`);
      },
    }),
  );
  return (
    <Select
      aria-label={`Role of ${member.name}`}
      className="h-8 w-32"
      value={(change.isPending && change.variables?.role) || member.role}
      disabled={change.isPending}
      onChange={(event) => change.mutate({ id: member.id, role: event.target.value as Role })}
    >
      {roles.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </Select>
  );
}
