"use client";
import { useState } from "react";
import { RevealOnce } from "../common/reveal-once";
import { Dialog } from "../ui/dialog";
import { WebhookEndpointForm } from "./webhook-form";

export const SECRET_HELP = "Copy it now: it is shown only once. Your receiver verifies each delivery's webhook-signature with it.";

/** The add form in a dialog, then the endpoint's signing secret (whsec_…) once. */
export function CreateEndpointDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <Dialog open={open} onClose={onClose} title="Add a webhook endpoint" description="CourierX signs every event it sends here, and retries for about a day until it gets a 2xx." className="max-w-2xl">
        <WebhookEndpointForm
          onCancel={onClose}
          onCreated={(created) => {
            onClose();
            setSecret(created);
          }}
        />
      </Dialog>
      <RevealOnce open={secret !== null} onClose={() => setSecret(null)} title="Your endpoint's signing secret" label="Signing secret" secret={secret} description={SECRET_HELP} />
    </>
  );
}
