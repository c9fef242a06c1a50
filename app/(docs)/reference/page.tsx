import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference, OPENAPI_URL } from "@/components/reference/api-reference";

export const metadata: Metadata = {
  title: "API reference — CourierX",
  description: "Every CourierX /api/v1 endpoint, its fields, errors and headers, from the API's own OpenAPI 3.1 document.",
};

// Public, like the document it reads: no session, and not under the dashboard's proxy matcher.
export default function ReferencePage() {
  return (
    <>
      <header className="sticky top-0 z-50 flex h-12 items-center justify-between border-b border-slate-200 bg-white px-4 text-sm">
        <Link href="/" className="font-semibold tracking-tight text-indigo-600">
          CourierX
        </Link>
        <nav aria-label="Reference" className="flex items-center gap-4 text-slate-600">
          <a href={OPENAPI_URL} className="hover:text-slate-900">
            openapi.json
          </a>
          <Link href="/overview" className="hover:text-slate-900">
            Dashboard
          </Link>
        </nav>
      </header>
      <ApiReference />
    </>
  );
}
