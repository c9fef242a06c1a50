import type { ReactNode } from "react";

/**
 * "Nothing yet" with the next step (`action`), or, with `variant="no-matches"`, "nothing matches these filters"
 * with a way back (clear the filters): two different situations, two different messages.
 */
export function EmptyState({ title, description, action, variant = "empty" }: { title: ReactNode; description?: ReactNode; action?: ReactNode; variant?: "empty" | "no-matches" }) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <div aria-hidden className="mb-3 flex size-10 items-center justify-center rounded-full bg-slate-100 text-lg text-slate-500">
        {variant === "empty" ? "✉" : "⌕"}
      </div>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      {description && <p className="mt-1 max-w-md text-sm text-slate-500">{description}</p>}
      {action && <div className="mt-4 flex flex-wrap justify-center gap-2">{action}</div>}
    </div>
  );
}
