"use client";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";
import { Toaster, toast } from "sonner";
import { TRPCReactProvider } from "@/trpc/client";
import { errorMessage } from "../common/error-message";

/** Mutations whose caller handles no error still say what went wrong (a toast), never fail silently. */
function toastMutationError(error: unknown) {
  toast.error(errorMessage(error));
}

export function DashboardProviders({ children }: { children: ReactNode }) {
  return (
    <SessionProvider refetchOnWindowFocus={false}>
      <TRPCReactProvider onMutationError={toastMutationError}>
        <NuqsAdapter>{children}</NuqsAdapter>
        {/* Bottom: a toast at the top would sit over the phone menu and the pages' main actions. */}
        <Toaster position="bottom-right" richColors closeButton />
      </TRPCReactProvider>
    </SessionProvider>
  );
}
