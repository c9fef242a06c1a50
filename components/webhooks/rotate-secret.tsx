"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/client";
import { RevealOnce } from "../common/reveal-once";
import { formatDateTime } from "../common/time";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { Dialog } from "../ui/dialog";

interface Rotated {
  secret: string;
  previous_secret_expires_at: string;
  older_secret_revoked: boolean;
}

function rotatedHelp(rotated: Rotated): string {
  const until = formatDateTime(rotated.previous_secret_expires_at);
  const older = rotated.older_secret_revoked ? " The secret from before your previous rotation stopped signing just now." : "";
  return `Copy it now: it is shown only once. Deliveries are signed with this secret and, until ${until} (24 hours), also with the one it replaces, so update your receiver before then.${older}`;
}

/** A new signing secret (confirmed first); the old one keeps signing for 24 h beside it. Owners and admins only. */
export function RotateSecret({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const rotate = useMutation(
    trpc.webhookEndpoints.rotateSecret.mutationOptions({
      onSuccess: (result) => {
        setConfirming(false);
        setRotated(result);
      },
    }),
  );
  return (
    <Card>
      <CardHeader
        title="Signing secret"
        description="Shown only when the endpoint was added or the secret rotated. Lost it, or leaked it? Rotate it: the old secret keeps signing for 24 hours."
        actions={
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            Rotate secret
          </Button>
        }
      />
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Rotate the signing secret?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button pending={rotate.isPending} onClick={() => rotate.mutate({ id: endpointId })}>
              Rotate secret
            </Button>
          </>
        }
      >
        <div className="space-y-2 text-sm text-slate-600">
          <p>A new secret is created and shown once. For 24 hours every delivery carries two signatures, the new secret&apos;s and the current one&apos;s, so your receiver keeps working while you switch it over.</p>
          <p>Rotating again within those 24 hours stops the oldest secret at once.</p>
        </div>
      </Dialog>
      <RevealOnce open={rotated !== null} onClose={() => setRotated(null)} title="Your new signing secret" label="Signing secret" secret={rotated?.secret ?? null} description={rotated ? rotatedHelp(rotated) : undefined} />
    </Card>
  );
}
