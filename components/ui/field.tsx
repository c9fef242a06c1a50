"use client";
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";
import { cn } from "./cn";

interface ControlProps {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

/**
 * A label, the control, help text and the error, wired together: the control gets the id, aria-invalid
 * and aria-describedby, so a screen reader reads the help and the error with the field.
 */
export function Field({ label, help, error, className, children }: { label: ReactNode; help?: ReactNode; error?: string; className?: string; children: ReactElement<ControlProps> }) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const control = isValidElement(children)
    ? cloneElement(children, { id: children.props.id ?? id, "aria-invalid": error ? true : undefined, "aria-describedby": [helpId, errorId].filter(Boolean).join(" ") || undefined })
    : children;
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={children.props.id ?? id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {control}
      {help && (
        <p id={helpId} className="text-xs text-slate-500">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

/** Errors of the whole form (not of one field), announced when they appear. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}
