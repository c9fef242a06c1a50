import Link from "next/link";
import { providerLabel } from "../providers/provider-catalog";
import { REASONS } from "./reasons";
import type { SuppressionRow } from "./types";

/** Where the row came from: a provider's event about one of the tenant's emails, or a person (dashboard, API). */
export function SuppressionSource({ suppression }: { suppression: SuppressionRow }) {
  const automatic = suppression.provider !== null || suppression.email_id !== null;
  if (!automatic) return <span className="text-slate-600">Added by hand</span>;
  return (
    <span className="flex flex-col gap-0.5">
      <span className="text-slate-700">
        {REASONS[suppression.reason].noun}
        {suppression.provider ? ` reported by ${providerLabel(suppression.provider)}` : " in the test sandbox"}
      </span>
      {suppression.email_id && (
        <Link href={`/emails/${suppression.email_id}`} className="text-xs font-medium text-indigo-700 hover:underline">
          View the email
        </Link>
      )}
    </span>
  );
}
