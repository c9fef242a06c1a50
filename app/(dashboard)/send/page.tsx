import type { Metadata } from "next";
import { sandboxAddresses } from "@/components/send/sandbox-addresses";
import { CONNECTIONS_INPUT } from "@/components/send/send-types";
import { SendView } from "@/components/send/send-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Send a test email · CourierX" };

export default function SendPage() {
  prefetch(trpc.providerConnections.list.queryOptions(CONNECTIONS_INPUT));
  return (
    <HydrateClient>
      <SendView sandbox={sandboxAddresses()} />
    </HydrateClient>
  );
}
