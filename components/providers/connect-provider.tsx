"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { toast } from "sonner";
import type { ProviderName } from "@/server/providers/types";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { RevealOnce } from "../common/reveal-once";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConnectForm } from "./connect-form";
import { PROVIDER_ORDER, PROVIDERS } from "./provider-catalog";
import { connectParams } from "./search-params";
import type { ConnectionView } from "./types";

/** The six providers to pick from; the choice is in the URL (?provider=smtp), so a reload keeps the form. */
function ProviderChooser({ onChoose }: { onChoose: (provider: ProviderName) => void }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Providers">
      {PROVIDER_ORDER.map((provider) => (
        <li key={provider}>
          <button
            type="button"
            onClick={() => onChoose(provider)}
            className={cn(
              "flex h-full w-full flex-col items-start rounded-lg border border-slate-200 bg-white p-4 text-left shadow-sm transition-colors",
              "hover:border-indigo-400 hover:bg-indigo-50/40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
            )}
          >
            <span className="text-sm font-semibold text-slate-900">{PROVIDERS[provider].label}</span>
            <span className="mt-1 text-sm text-slate-500">{PROVIDERS[provider].summary}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The next priority: after every existing connection, so a new one is the fallback until you move it. */
function useNextPriority(): number {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.providerConnections.list.queryOptions({ page: 1, per_page: 100 }));
  return Math.min(1000, Math.max(0, ...data.items.map((c) => c.priority)) + 1);
}

function announce(connection: ConnectionView) {
  const label = PROVIDERS[connection.provider as ProviderName]?.label ?? connection.provider;
  if (connection.verification.status === "verified") toast.success(`${label} connected and verified`);
  else toast.warning(`${label} connected, but the credentials were not verified: ${connection.verification.message ?? "no answer"}`);
}

export function ConnectProvider() {
  const router = useRouter();
  const canManage = useCanManage();
  const [{ provider }, setParams] = useQueryStates(connectParams, { history: "push" });
  const nextPriority = useNextPriority();
  // Postmark: the event URL carries generated credentials, shown this once.
  const [postmark, setPostmark] = useState<ConnectionView | null>(null);

  if (!canManage) return null;
  if (!provider) return <ProviderChooser onChoose={(chosen) => void setParams({ provider: chosen })} />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold text-slate-900">Connect {PROVIDERS[provider].label}</h2>
        <Button variant="ghost" size="sm" onClick={() => void setParams({ provider: null })}>
          ← Choose another provider
        </Button>
      </div>
      <ConnectForm
        key={provider}
        provider={provider}
        nextPriority={nextPriority}
        onConnected={(connection) => {
          announce(connection);
          if (connection.provider === "postmark" && connection.events_webhook) setPostmark(connection);
          else router.push(`/providers/${connection.id}`);
        }}
      />
      <RevealOnce
        open={postmark !== null}
        onClose={() => postmark && router.push(`/providers/${postmark.id}`)}
        title="Postmark's event webhook URL"
        label="Webhook URL"
        secret={postmark?.events_webhook?.url ?? null}
        description="Paste this URL into your Postmark server's Webhooks. Its password is shown only now; if you lose it, rotate the webhook credentials on the connection's page."
      />
    </div>
  );
}
