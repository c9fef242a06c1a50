import Link from "next/link";
import { RelativeTime } from "../common/time";
import { Card, CardHeader } from "../ui/card";
import { DkimFinding } from "./dkim-finding";
import { DmarcFinding } from "./dmarc-finding";
import { FindingSection, RecordValue, ResultBadge } from "./finding-parts";
import { SpfFinding } from "./spf-finding";
import type { DomainView } from "./types";

/**
 * The last verification as the service recorded it: the token at `_courierx.<domain>`, then (only once it
 * was found) SPF, DMARC and DKIM for the providers of the tenant's enabled connections.
 */
export function DomainFindings({ domain }: { domain: DomainView }) {
  const result = domain.verification_result;
  const noProviders = domain.spf !== null && domain.spf.providers.length === 0;
  return (
    <Card aria-labelledby="findings-title">
      <CardHeader
        title={<span id="findings-title">DNS checks</span>}
        description={
          domain.last_checked_at ? (
            <>
              Last checked <RelativeTime value={domain.last_checked_at} />
            </>
          ) : (
            "Not checked yet: publish the record above, then verify."
          )
        }
      />
      {result === null ? (
        <p className="px-4 py-4 text-sm text-slate-500 sm:px-5">Once the token is found, SPF, DKIM and DMARC are checked for the providers you have connected.</p>
      ) : (
        <div className="divide-y divide-slate-100">
          <FindingSection title="Ownership" host={`_courierx.${domain.domain}`} badge={<ResultBadge result={result} />}>
            <p className="text-sm text-slate-600">{domain.message}</p>
            {domain.txt_records.length > 0 && (
              <RecordValue label={`TXT ${domain.txt_records.length === 1 ? "record" : "records"} found`} value={domain.txt_records.join("\n")} />
            )}
          </FindingSection>
          {domain.spf && <SpfFinding spf={domain.spf} />}
          {domain.dmarc && <DmarcFinding dmarc={domain.dmarc} />}
          {domain.dkim && domain.dkim.length > 0 && <DkimFinding dkim={domain.dkim} />}
          {noProviders && (
            <p className="px-4 py-4 text-sm text-slate-600 sm:px-5">
              No provider is connected and enabled, so there are no SPF includes or DKIM keys to check.{" "}
              <Link href="/providers" className="font-medium text-indigo-700 hover:underline">
                Connect a provider
              </Link>{" "}
              and verify again.
            </p>
          )}
        </div>
      )}
    </Card>
  );
}
