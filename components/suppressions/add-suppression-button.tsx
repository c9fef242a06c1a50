"use client";
import { useState } from "react";
import { useCanManage } from "../account/use-account";
import { Button, type ButtonVariant } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { SuppressionForm } from "./suppression-form";

/** "Add an address" and its dialog. Owners and admins only. */
export function AddSuppressionButton({ variant = "primary" }: { variant?: ButtonVariant }) {
  const canManage = useCanManage();
  const [open, setOpen] = useState(false);
  if (!canManage) return null;
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        Add an address
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add an address" description="CourierX blocks every send to it, before any provider is contacted, until you remove it.">
        <SuppressionForm onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
