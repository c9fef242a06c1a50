import { apiRoute, reply } from "@/server/http/api-route";
import { presentEmailDetail } from "@/server/http/presenters/emails";
import { getEmailOrThrow } from "@/server/services/emails/get-email";

// GET /api/v1/emails/:id — one email with its event timeline
export const GET = apiRoute({}, async ({ tenantId, params }) => reply(presentEmailDetail(await getEmailOrThrow(tenantId, params.id!))));
