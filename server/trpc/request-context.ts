/** The context of an HTTP call to /api/trpc: the next-auth session of the request's cookie. */
import { getServerSession } from "next-auth";
import { authOptions } from "../auth/next-auth";
import { publicBaseUrl } from "../http/presenters/provider-connections";
import { createTRPCContext, type TRPCContext } from "./init";

export async function createRequestContext(req: Request): Promise<TRPCContext> {
  const session = await getServerSession(authOptions());
  const user = session?.user;
  return createTRPCContext({
    session: user?.id && user.tenantId ? { userId: user.id, tenantId: user.tenantId } : null,
    baseUrl: publicBaseUrl(req),
  });
}
