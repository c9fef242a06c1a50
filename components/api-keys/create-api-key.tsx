"use client";
import { useState } from "react";
import { RevealOnce } from "../common/reveal-once";
import { Dialog } from "../ui/dialog";
import { ApiKeyForm, type CreatedApiKey } from "./api-key-form";

/** The create form in a dialog, then the raw key in a RevealOnce dialog; closing that forgets the key. */
export function CreateApiKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <Dialog open={open} onClose={onClose} title="Create an API key" description="Use it as a Bearer token for the REST API.">
        <ApiKeyForm
          onCancel={onClose}
          onCreated={(key) => {
            onClose();
            setCreated(key);
          }}
        />
      </Dialog>
      <RevealOnce
        open={created !== null}
        onClose={() => setCreated(null)}
        title={created ? `Your new API key “${created.name}”` : "Your new API key"}
        label="API key"
        secret={created?.raw_key ?? null}
        description="Copy it now: it is shown only once. Only a hash of it is stored, so nobody can show it to you again."
      />
    </>
  );
}
