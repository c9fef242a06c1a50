"use client";
import Link from "next/link";
import { useCanManage } from "../account/use-account";
import { buttonClasses } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { cn } from "../ui/cn";

export interface SetupSteps {
  connected: boolean;
  hasApiKey: boolean;
  hasSent: boolean;
}

const STEPS = [
  { key: "connected", title: "Connect a provider", text: "Add your SendGrid, SES, Mailgun, Postmark, Resend or SMTP account; add a second one for failover.", href: "/providers", action: "Connect a provider" },
  { key: "hasApiKey", title: "Create an API key", text: "Your app sends with it: a live key through your providers, a test key to the sandbox only.", href: "/api-keys", action: "Create an API key" },
  { key: "hasSent", title: "Send a test email", text: "Watch one go through the real send path, in the sandbox or through your providers.", href: "/send", action: "Send a test email" },
] as const;

/**
 * The empty account's overview: three steps to a first email, each ticked once done. `compact` is the same list
 * as a reminder above the charts while a step is left.
 */
export function GetStarted({ steps, compact = false }: { steps: SetupSteps; compact?: boolean }) {
  const done = STEPS.filter((step) => steps[step.key]).length;
  // Members cannot take these steps: the list says what is left, an owner or admin does it.
  const canManage = useCanManage();
  return (
    <Card aria-labelledby="get-started-title">
      <CardHeader
        title={<span id="get-started-title">{compact ? "Finish setting up" : "Get started"}</span>}
        description={`${compact ? `${done} of ${STEPS.length} steps done.` : "No emails yet. Three steps to your first one; the charts appear here once it is sent."}${canManage ? "" : " An owner or admin of this account takes them."}`}
      />
      <CardBody>
        <ol className={cn("grid gap-3", compact ? "md:grid-cols-3" : "")}>
          {STEPS.map((step, index) => {
            const complete = steps[step.key];
            return (
              <li key={step.key} className={cn("flex gap-3 rounded-md border px-3 py-3", complete ? "border-emerald-200 bg-emerald-50/50" : "border-slate-200")}>
                <span
                  aria-hidden
                  className={cn("flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold", complete ? "bg-emerald-600 text-white" : "bg-slate-100 text-slate-600")}
                >
                  {complete ? "✓" : index + 1}
                </span>
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-slate-900">
                    {step.title}
                    <span className="sr-only">{complete ? " (done)" : " (to do)"}</span>
                  </p>
                  {!compact && <p className="mt-0.5 text-sm text-slate-500">{step.text}</p>}
                  {!complete && canManage && (
                    <Link href={step.href} className={cn(buttonClasses(compact ? "secondary" : "primary", "sm"), "mt-2")}>
                      {step.action}
                    </Link>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      </CardBody>
    </Card>
  );
}
