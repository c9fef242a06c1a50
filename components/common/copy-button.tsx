"use client";
import { useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "../ui/button";

/** Copies `value` to the clipboard and says so ("Copied") for a moment, also to screen readers. */
export function CopyButton({ value, label = "Copy", size = "sm", variant = "secondary" }: { value: string; label?: string; size?: ButtonSize; variant?: ButtonVariant }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <Button size={size} variant={variant} onClick={copy} aria-label={state === "idle" ? label : undefined}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}</span>
    </Button>
  );
}

/** A value to paste elsewhere (a URL, a DNS record): monospace, selectable in one click, with a copy button. */
export function CopyField({ value, label }: { value: string; label: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <code aria-label={label} className="block min-w-0 flex-1 truncate rounded-md border border-slate-200 bg-slate-50 px-2.5 py-1.5 font-mono text-xs text-slate-800 select-all" title={value}>
        {value}
      </code>
      <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}
