"use client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { CopyButton } from "./copy-button";

/**
 * A new secret (an API key, a webhook signing secret, an invitation link), shown this once: the server keeps
 * only a hash or a sealed copy and never returns it again.
 */
export function RevealOnce({ open, onClose, title, secret, label = "Secret", description }: { open: boolean; onClose: () => void; title: string; secret: string | null; label?: string; description?: string }) {
  return (
    <Dialog
      open={open && secret !== null}
      onClose={onClose}
      title={title}
      description={description ?? "Copy it now: it is shown only once. If you lose it, create a new one."}
      footer={<Button onClick={onClose}>I&apos;ve copied it</Button>}
    >
      <div className="space-y-2">
        <p className="text-sm font-medium text-slate-800">{label}</p>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <code aria-label={label} data-testid="revealed-secret" className="block min-w-0 flex-1 break-all rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm select-all">
            {secret}
          </code>
          {secret && <CopyButton value={secret} label={`Copy ${label.toLowerCase()}`} />}
        </div>
      </div>
    </Dialog>
  );
}
