"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCanManage } from "../account/use-account";
import { Button, type ButtonVariant } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { DomainForm } from "./domain-form";

/** "Add a domain" and its dialog; the new domain's page shows the record to publish. Owners and admins only. */
export function AddDomainButton({ variant = "primary" }: { variant?: ButtonVariant }) {
  const canManage = useCanManage();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  if (!canManage) return null;
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        Add a domain
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add a domain" description="You will get a TXT record to publish in its DNS, which proves you own it.">
        <DomainForm
          onCancel={() => setOpen(false)}
          onCreated={(domain) => {
            setOpen(false);
            router.push(`/domains/${domain.id}`);
          }}
        />
      </Dialog>
    </>
  );
}
