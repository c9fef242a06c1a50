"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import type { ProviderName } from "@/server/providers/types";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { CopyButton } from "../common/copy-button";
import { RevealOnce } from "../common/reveal-once";
import { RelativeTime } from "../common/time";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EventsKeyForm } from "./events-key-form";
import { PROVIDERS } from "./provider-catalog";
import type { ConnectionView, EventsWebhookView } from "./types";
import { useRefreshConnections } from "./use-refresh-connections";

/** Whether the webhook can accept events yet: the provider's key is stored (Postmark: always, by its URL). */
function keyIsSet(provider: ProviderName, webhook: EventsWebhookView): boolean {
  if (provider === "postmark") return true;
  if (provider === "aws_ses") return webhook.sns_topic_arn_set === true;
  return webhook.signing_key_set;
}

function PostmarkRotate({ connection }: { connection: ConnectionView }) {
  const trpc = useTRPC();
  const refresh = useRefreshConnections();
  const [url, setUrl] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.providerConnections.rotateWebhookCredentials.mutationOptions({
      onSuccess: async (updated) => {
        setUrl(updated.events_webhook?.url ?? null);
        // The detail keeps the masked URL: the full one lives only in the dialog.
        await refresh();
        toast.success("New webhook credentials generated: the old URL no longer works");
      },
    }),
  );
  return (
    <>
      <Button variant="secondary" pending={rotate.isPending} onClick={() => rotate.mutate({ id: connection.id })}>
        Rotate webhook credentials
      </Button>
      <RevealOnce
        open={url !== null}
        onClose={() => setUrl(null)}
        title="Postmark's new event webhook URL"
        label="Webhook URL"
        secret={url}
        description="Replace the URL in your Postmark server's webhook with this one now: its password is shown only once, and the old one is already refused."
      />
    </>
  );
}

/** The URL to paste into the provider's console, the steps there, and the key that authenticates its requests. */
export function EventsWebhookCard({ connection }: { connection: ConnectionView }) {
  const canManage = useCanManage();
  const provider = connection.provider as ProviderName;
  const events = PROVIDERS[provider]?.events;
  const webhook = connection.events_webhook;
  if (!events || !webhook) {
    return (
      <Card>
        <CardHeader title="Delivery events" />
        <CardBody>
          <p className="text-sm text-slate-600">SMTP relays have no event webhook: emails sent through this connection show as sent, and bounces that come back by mail are not tracked.</p>
        </CardBody>
      </Card>
    );
  }
  const ready = keyIsSet(provider, webhook);
  return (
    <Card>
      <CardHeader
        title="Delivery events"
        description={`Let ${PROVIDERS[provider].label} tell CourierX about deliveries, bounces, complaints, opens and clicks.`}
        actions={ready ? <Badge tone="green">Ready</Badge> : <Badge tone="amber">Needs {events.key?.noun ?? "set-up"}</Badge>}
      />
      <CardBody className="space-y-5">
        <div className="space-y-1.5">
          <p id="events-url-label" className="text-sm font-medium text-slate-800">Event webhook URL</p>
          {/* Wrapped, not cut: the whole URL must be readable on a phone too. */}
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <code aria-labelledby="events-url-label" className="block min-w-0 flex-1 rounded-md border border-slate-200 bg-slate-50 px-2.5 py-1.5 font-mono text-xs break-all text-slate-800 select-all">
              {webhook.url}
            </code>
            <CopyButton value={webhook.url} label="Copy URL" />
          </div>
          <p className="text-xs text-slate-500">
            Last verified event: <RelativeTime value={webhook.last_event_at} />
            {provider === "postmark" && " · The password in this URL is masked; it was shown in full once."}
          </p>
        </div>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
          {events.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        {events.key && (
          <div className="space-y-2 border-t border-slate-100 pt-4">
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              {events.key.label}: {ready ? <Badge tone="green">Set</Badge> : <Badge tone="gray">Not set</Badge>}
              {!ready && <span className="text-xs text-slate-500">Until it is set, the URL refuses every request (401).</span>}
            </p>
            {canManage && <EventsKeyForm connection={connection} copy={events.key} isSet={ready} />}
          </div>
        )}
        {provider === "postmark" && canManage && (
          <div className="border-t border-slate-100 pt-4">
            <PostmarkRotate connection={connection} />
          </div>
        )}
      </CardBody>
    </Card>
  );
}
