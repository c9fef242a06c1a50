import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { ApiKeysView } from "@/components/api-keys/api-keys-view";
import { apiKeyListInput, loadApiKeySearchParams } from "@/components/api-keys/search-params";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "API keys · CourierX" };

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadApiKeySearchParams(searchParams);
  prefetch(trpc.apiKeys.list.queryOptions(apiKeyListInput(params)));
  return (
    <HydrateClient>
      <ApiKeysView />
    </HydrateClient>
  );
}
