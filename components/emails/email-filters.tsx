"use client";
import { useQueryStates } from "nuqs";
import { useEffect, useState } from "react";
import { EMAIL_STATUSES } from "@/server/services/emails/schemas";
import { Button } from "../ui/button";
import { Input, Select } from "../ui/input";
import { CLEARED_FILTERS, emailSearchParams, hasFilters, TEST_FILTERS, type EmailSearch } from "./search-params";
import { statusLabel } from "./status-badge";

const TEST_LABELS: Record<(typeof TEST_FILTERS)[number], string> = { false: "Live only", true: "Test only" };

/** Every filter of the REST list, written to the URL (a changed filter goes back to the first page). */
export function EmailFilters() {
  const [search, setSearch] = useQueryStates(emailSearchParams);
  const [recipient, setRecipient] = useState(search.recipient);
  const [shown, setShown] = useState(search.recipient);
  // The URL changed under the field (Clear filters, back button): the field follows it.
  if (search.recipient !== shown) {
    setShown(search.recipient);
    setRecipient(search.recipient);
  }

  // Typing filters after a pause, not on every key.
  useEffect(() => {
    if (recipient.trim() === search.recipient.trim()) return;
    const timer = setTimeout(() => {
      setShown(recipient);
      void setSearch({ recipient: recipient.trim() ? recipient : null, page: null });
    }, 300);
    return () => clearTimeout(timer);
  }, [recipient, search.recipient, setSearch]);

  const set = (values: Partial<EmailSearch>) => void setSearch({ ...values, page: null });

  return (
    <div role="search" aria-label="Filter emails" className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
      <label className="block w-full min-w-0 sm:w-56">
        <span className="mb-1 block text-xs font-medium text-slate-600">Recipient</span>
        <Input type="search" value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="alice@…" autoComplete="off" spellCheck={false} maxLength={254} />
      </label>
      <label className="block w-[calc(50%-0.375rem)] sm:w-40">
        <span className="mb-1 block text-xs font-medium text-slate-600">Status</span>
        <Select value={search.status ?? ""} onChange={(e) => set({ status: (e.target.value || null) as EmailSearch["status"] })}>
          <option value="">Any status</option>
          {EMAIL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </Select>
      </label>
      <label className="block w-[calc(50%-0.375rem)] sm:w-40">
        <span className="mb-1 block text-xs font-medium text-slate-600">Mode</span>
        <Select value={search.test ?? ""} onChange={(e) => set({ test: (e.target.value || null) as EmailSearch["test"] })}>
          <option value="">Live and test</option>
          {TEST_FILTERS.map((t) => (
            <option key={t} value={t}>
              {TEST_LABELS[t]}
            </option>
          ))}
        </Select>
      </label>
      <label className="block w-[calc(50%-0.375rem)] sm:w-40">
        <span className="mb-1 block text-xs font-medium text-slate-600">Created from</span>
        <Input type="date" value={search.from ?? ""} max={search.to ?? undefined} onChange={(e) => set({ from: e.target.value || null })} />
      </label>
      <label className="block w-[calc(50%-0.375rem)] sm:w-40">
        <span className="mb-1 block text-xs font-medium text-slate-600">Created to</span>
        <Input type="date" value={search.to ?? ""} min={search.from ?? undefined} onChange={(e) => set({ to: e.target.value || null })} />
      </label>
      {hasFilters(search) && (
        <Button variant="ghost" onClick={() => void setSearch(CLEARED_FILTERS)}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
