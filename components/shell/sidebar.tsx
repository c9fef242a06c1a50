"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { cn } from "../ui/cn";
import { useAccount } from "../account/use-account";
import { NAV_ITEMS } from "./nav-items";

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {NAV_ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block rounded-md px-3 py-2 text-sm font-medium",
                active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function AccountBox() {
  const { account, user } = useAccount();
  return (
    <div className="border-t border-slate-200 px-3 py-3">
      <p className="truncate text-sm font-medium text-slate-900" title={account.name}>
        {account.name}
      </p>
      {user && (
        <p className="truncate text-xs text-slate-500" title={user.email}>
          {user.email} · {user.role}
        </p>
      )}
      <Link href="/reference" className="mt-2 block rounded-md px-2 py-1 -mx-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900">
        API reference
      </Link>
      <button
        type="button"
        onClick={() => void signOut({ callbackUrl: "/sign-in" })}
        className="rounded-md px-2 py-1 -mx-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        Sign out
      </button>
    </div>
  );
}

/** The sidebar on wide screens; on a phone a top bar whose menu button opens the same links. */
export function Sidebar() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <div className="sticky top-0 z-20 flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4 lg:hidden">
        <Link href="/overview" className="font-semibold tracking-tight text-indigo-600">
          CourierX
        </Link>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="mobile-nav"
          onClick={() => setOpen((o) => !o)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700"
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      {open && (
        <nav id="mobile-nav" aria-label="Dashboard" className="fixed inset-x-0 top-14 z-20 max-h-[calc(100vh-3.5rem)] overflow-y-auto border-b border-slate-200 bg-white p-3 shadow-lg lg:hidden">
          <NavLinks onNavigate={() => setOpen(false)} />
          <AccountBox />
        </nav>
      )}
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white lg:flex">
        <Link href="/overview" className="px-6 py-5 text-lg font-semibold tracking-tight text-indigo-600">
          CourierX
        </Link>
        <nav aria-label="Dashboard" className="flex-1 overflow-y-auto px-3">
          <NavLinks />
        </nav>
        <AccountBox />
      </aside>
    </>
  );
}
