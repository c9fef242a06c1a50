import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DashboardProviders } from "@/components/shell/dashboard-providers";
import { Sidebar } from "@/components/shell/sidebar";
import { DASHBOARD_PATH_HEADER } from "@/proxy";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

// Per request: the session decides what is shown.
export const dynamic = "force-dynamic";

/** Where a signed-out visitor goes: sign in, then back to the page they asked for (a relative path only). */
async function signInUrl(): Promise<string> {
  const path = (await headers()).get(DASHBOARD_PATH_HEADER);
  return path?.startsWith("/") && !path.startsWith("//") ? `/sign-in?callbackUrl=${encodeURIComponent(path)}` : "/sign-in";
}

/**
 * Every dashboard page: the session is proved against the database (the user still exists and belongs to the
 * tenant) by loading the account, which is then handed to the client already fetched (the sidebar and the
 * role checks read it without waiting).
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  try {
    await getQueryClient().fetchQuery(trpc.account.me.queryOptions());
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect(await signInUrl());
    throw error;
  }
  return (
    <DashboardProviders>
      <HydrateClient>
        <div className="min-h-screen bg-slate-50 lg:flex">
          <Sidebar />
          <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-8">
            <div className="mx-auto max-w-6xl">{children}</div>
          </main>
        </div>
      </HydrateClient>
    </DashboardProviders>
  );
}
