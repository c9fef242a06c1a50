"use client";
import { useState, type ReactNode } from "react";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";

/**
 * A destructive action confirmed by typing the resource's name (useSend's DeleteResource): a slip of the mouse
 * cannot delete a provider connection that production mail goes through.
 */
export function ConfirmDelete({ open, onClose, onConfirm, title, name, consequence, confirmLabel = "Delete", pending = false }: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  title: string;
  /** What the user types to confirm. */
  name: string;
  consequence?: ReactNode;
  confirmLabel?: string;
  pending?: boolean;
}) {
  const [typed, setTyped] = useState("");
  const close = () => {
    setTyped("");
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={consequence}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button variant="danger" disabled={typed.trim() !== name.trim()} pending={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.trim() === name.trim()) onConfirm();
        }}
      >
        <Field label={<>Type <strong className="font-mono">{name}</strong> to confirm</>}>
          <Input value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}
