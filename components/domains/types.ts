import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["domains"];

/** A domain as the REST API presents it: the record to publish and the last verification's findings. */
export type DomainView = Outputs["get"];
export type DomainStatus = DomainView["status"];
export type SpfView = NonNullable<DomainView["spf"]>;
export type DmarcView = NonNullable<DomainView["dmarc"]>;
export type DkimView = NonNullable<DomainView["dkim"]>[number];
