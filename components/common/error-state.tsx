"use client";
import { Button } from "../ui/button";
import { errorMessage } from "./error-message";

/** What a section shows when its data could not be loaded, with a retry (the error boundary's reset). */
export function ErrorState({ error, retry, title = "This could not be loaded" }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div role="alert" className="flex flex-col items-center px-6 py-12 text-center">
      <div aria-hidden className="mb-3 flex size-10 items-center justify-center rounded-full bg-red-50 text-lg text-red-600">!</div>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <p className="mt-1 max-w-md text-sm text-slate-500">{errorMessage(error)}</p>
      {retry && (
        <Button variant="secondary" size="sm" className="mt-4" onClick={retry}>
          Try again
        </Button>
      )}
    </div>
  );
}
