import { providerLabel } from "../providers/provider-catalog";
import { CheckBadge, FindingSection, RecordValue, ResultBadge, SuggestedRecordBox } from "./finding-parts";
import { suggestedSpf } from "./suggested-records";
import type { SpfView } from "./types";

/** The SPF record at the domain and, per provider of the tenant's connections, whether it authorizes it. */
export function SpfFinding({ spf }: { spf: SpfView }) {
  const suggestions = suggestedSpf(spf);
  return (
    <FindingSection title="SPF" host={spf.host} badge={<ResultBadge result={spf.result} />}>
      <p className="text-sm text-slate-600">{spf.message}</p>
      {spf.record && <RecordValue label={spf.result === "multiple" ? "Records found" : "Record found"} value={spf.record} />}
      {spf.providers.length > 0 && (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="SPF per provider">
          {spf.providers.map((p) => (
            <li key={p.provider} className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:items-start sm:gap-3">
              <div className="flex shrink-0 items-center gap-2 sm:w-52">
                <span className="text-sm font-medium text-slate-900">{providerLabel(p.provider)}</span>
                <CheckBadge found={p.found} yes="Authorized" />
              </div>
              <p className="min-w-0 text-sm break-words text-slate-600">{p.message}</p>
            </li>
          ))}
        </ul>
      )}
      {suggestions.map((record) => (
        <SuggestedRecordBox key={record.host} record={record} />
      ))}
    </FindingSection>
  );
}
