import { createLoader, parseAsInteger } from "nuqs/server";

/** The members page's URL state (?page=2&invitations_page=3), read alike by the page (server) and the tables. */
export const membersSearchParams = {
  page: parseAsInteger.withDefault(1),
  invitations_page: parseAsInteger.withDefault(1),
};

export const loadMembersSearchParams = createLoader(membersSearchParams);

export const MEMBERS_PER_PAGE = 50;
export const INVITATIONS_PER_PAGE = 25;

export function memberListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: MEMBERS_PER_PAGE };
}

export function invitationListInput({ invitations_page }: { invitations_page: number }) {
  return { page: Math.max(1, invitations_page), per_page: INVITATIONS_PER_PAGE };
}
