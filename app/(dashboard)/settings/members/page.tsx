import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { MembersView } from "@/components/members/members-view";
import { invitationListInput, loadMembersSearchParams, memberListInput } from "@/components/members/search-params";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Members · CourierX" };

export default async function MembersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadMembersSearchParams(searchParams);
  prefetch(trpc.members.list.queryOptions(memberListInput(params)));
  prefetch(trpc.members.invitations.queryOptions(invitationListInput(params)));
  return (
    <HydrateClient>
      <MembersView />
    </HydrateClient>
  );
}
