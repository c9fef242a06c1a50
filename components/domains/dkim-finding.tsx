import { providerLabel } from "../providers/provider-catalog";
import { CheckBadge, FindingSection, RecordField } from "./finding-parts";
import type { DkimView } from "./types";

/**
 * DKIM keys where the provider's selector can be known; where it cannot (SES, Postmark, SMTP relays) the
 * service says so and where to find it, never a guess. The key itself comes from the provider's console.
 */
export function DkimFinding({ dkim }: { dkim: DkimView[] }) {
  return (
    <FindingSection title="DKIM">
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="DKIM per provider">
        {dkim.map((d, i) => (
          <li key={`${d.provider}-${d.selector ?? i}`} role="group" aria-label={`${providerLabel(d.provider)} DKIM${d.selector ? ` ${d.selector}` : ""}`} className="space-y-2 px-3 py-2">
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm font-medium text-slate-900">{providerLabel(d.provider)}</span>
              <CheckBadge found={d.found} />
              {d.selector && <span className="text-xs text-slate-500">selector {d.selector}</span>}
              {d.record_type && <span className="text-xs text-slate-500">({d.record_type})</span>}
            </div>
            <p className="text-sm break-words text-slate-600">{d.message}</p>
            {d.found === false && d.host && <RecordField value={d.host} label="Host" />}
          </li>
        ))}
      </ul>
    </FindingSection>
  );
}
