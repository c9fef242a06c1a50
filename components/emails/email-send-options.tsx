"use client";
import { providerLabel } from "../providers/provider-catalog";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import type { EmailDetailView, EmailTimelineView } from "./types";

/**
 * What the send itself asked for beyond its content: per-message routing (the connections, by name, in the
 * order they were tried) and provider overrides (which providers, which fields). Nothing when it asked for
 * neither. An SMTP transport override's credentials are never in the data: only that it had some.
 */
export function EmailSendOptions({ email, extra }: { email: EmailDetailView; extra: EmailTimelineView }) {
  const overrides = Object.entries((email.provider_overrides ?? {}) as Record<string, { body?: Record<string, unknown>; config?: Record<string, unknown> } | undefined>);
  if (!email.routing && overrides.length === 0) return null;
  const names = new Map(extra.connections.map((c) => [c.id, c.display_name]));
  return (
    <Card>
      <CardHeader title="Sent as asked" description="The send's own routing and provider overrides." />
      <CardBody className="space-y-4">
        {email.routing && (
          <div>
            <h2 className="text-xs font-medium text-slate-500">Routing (these connections only, in this order)</h2>
            <ol aria-label="Routed connections" className="mt-1 flex flex-wrap items-center gap-1 text-sm text-slate-800">
              {email.routing.connections.map((id, i) => (
                <li key={id} className="flex items-center gap-1">
                  {i > 0 && <span aria-hidden className="text-slate-400">→</span>}
                  <span>{names.get(id) ?? <span className="text-slate-500">Deleted connection</span>}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
        {overrides.length > 0 && (
          <div>
            <h2 className="text-xs font-medium text-slate-500">Provider overrides (applied only when that provider sends it)</h2>
            <ul aria-label="Provider overrides" className="mt-1 space-y-1 text-sm text-slate-800">
              {overrides.map(([provider, entry]) => (
                <li key={provider} className="flex flex-wrap items-center gap-1">
                  <span className="font-medium">{providerLabel(provider)}</span>
                  {Object.keys(entry?.body ?? {}).map((field) => (
                    <Badge key={field}>{field}</Badge>
                  ))}
                  {entry?.config && <Badge tone="amber">own transport: {String(entry.config.host ?? "stored host")}</Badge>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
