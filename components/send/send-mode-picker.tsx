"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/trpc/client";
import { CONNECTIONS_INPUT, type SendMode } from "./send-types";

const MODES: { value: SendMode; label: string; help: string }[] = [
  {
    value: "test",
    label: "Sandbox (test mode)",
    help: "Nothing leaves CourierX: the email runs the whole pipeline (suppressions, routing, events) and ends at the built-in sandbox, as with a test API key. It is listed as a test email.",
  },
  {
    value: "live",
    label: "Live connections",
    help: "A real email through your enabled provider connections, with failover, as POST /api/v1/emails with a live key sends it.",
  },
];

/** Where the email goes: the sandbox or the account's live connections (with how many are enabled). */
export function SendModePicker({ mode, onChange, disabled }: { mode: SendMode; onChange: (mode: SendMode) => void; disabled: boolean }) {
  const trpc = useTRPC();
  const connections = useSuspenseQuery(trpc.providerConnections.list.queryOptions(CONNECTIONS_INPUT)).data.items;
  const enabled = connections.filter((c) => c.enabled).length;
  return (
    <fieldset className="space-y-2" disabled={disabled}>
      <legend className="text-sm font-medium text-slate-800">Send through</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {MODES.map((option) => (
          <label
            key={option.value}
            className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2.5 has-checked:border-indigo-500 has-checked:bg-indigo-50/50 has-disabled:cursor-not-allowed has-disabled:opacity-70"
          >
            <input
              type="radio"
              name="send-mode"
              value={option.value}
              checked={mode === option.value}
              onChange={() => onChange(option.value)}
              className="mt-0.5 size-4 text-indigo-600 focus:ring-indigo-500"
            />
            <span>
              <span className="block text-sm font-medium text-slate-900">{option.label}</span>
              <span className="block text-xs text-slate-500">{option.help}</span>
            </span>
          </label>
        ))}
      </div>
      {mode === "live" && (
        <p role="note" className={enabled === 0 ? "rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" : "text-xs text-slate-600"}>
          {enabled === 0 ? (
            <>
              No enabled provider connection: a live email would fail.{" "}
              <Link href="/providers" className="font-medium underline">
                Connect a provider
              </Link>{" "}
              or send through the sandbox.
            </>
          ) : (
            `Goes through your ${enabled} enabled connection${enabled === 1 ? "" : "s"} in routing order (${connections
              .filter((c) => c.enabled)
              .map((c) => c.display_name)
              .join(", ")}).`
          )}
        </p>
      )}
    </fieldset>
  );
}
