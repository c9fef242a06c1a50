"use client";
import { useCanManage } from "./use-account";

/** On a configuration page, tells a member why the controls to change things are missing. */
export function ReadOnlyNotice() {
  if (useCanManage()) return null;
  return (
    <p role="note" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      You are a member of this account: you can look at everything, but only owners and admins can change configuration.
    </p>
  );
}
