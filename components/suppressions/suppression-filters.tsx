"use client";
import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { Input, Select } from "../ui/input";
import { ReasonOptions } from "./reasons";
import type { SuppressionFilters as Filters } from "./search-params";

const SEARCH_DELAY_MS = 300;

/** Reason and address search; the address reaches the URL once typing pauses. */
export function SuppressionFilters({ filters, onChange }: { filters: Filters; onChange: (next: Partial<Filters>) => void }) {
  const [search, setSearch] = useState(filters.email ?? "");
  // The URL changed from elsewhere (Clear filters, the back button): the box follows it.
  const [seen, setSeen] = useState(filters.email);
  if (seen !== filters.email) {
    setSeen(filters.email);
    setSearch(filters.email ?? "");
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const typed = (value: string) => {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onChange({ email: value.trim() || null }), SEARCH_DELAY_MS);
  };
  const clear = () => {
    clearTimeout(timer.current);
    onChange({ reason: null, email: null });
  };
  const active = filters.reason !== null || filters.email !== null;

  return (
    <div className="flex flex-col gap-3 border-b border-slate-100 px-4 py-3 sm:flex-row sm:items-end sm:px-5">
      <Field label="Reason" className="sm:w-48">
        <Select value={filters.reason ?? ""} onChange={(event) => onChange({ reason: (event.target.value || null) as Filters["reason"] })}>
          <option value="">All reasons</option>
          <ReasonOptions />
        </Select>
      </Field>
      <Field label="Search addresses" className="sm:w-72">
        <Input type="search" value={search} placeholder="alice@ or example.com" autoComplete="off" spellCheck={false} maxLength={254} onChange={(event) => typed(event.target.value)} />
      </Field>
      {active && (
        <Button variant="ghost" onClick={clear}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
