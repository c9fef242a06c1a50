import Link from "next/link";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/trpc/client";

/** Sign-in and sign-up: one centered card under the product name (a link home). */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center bg-slate-50 px-4 py-12 text-slate-900 sm:justify-center sm:py-16">
      <Link href="/" className="mb-8 rounded-sm text-2xl font-semibold tracking-tight text-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600">
        CourierX
      </Link>
      <main id="main" className="w-full max-w-sm">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </main>
    </div>
  );
}
