import { Badge } from "../ui/badge";
import { FindingSection, RecordValue, ResultBadge, SuggestedRecordBox } from "./finding-parts";
import { suggestedDmarc } from "./suggested-records";
import type { DmarcView } from "./types";

/** The DMARC policy that applies to the domain (its own, or the parent domain's when inherited). */
export function DmarcFinding({ dmarc }: { dmarc: DmarcView }) {
  const suggestion = suggestedDmarc(dmarc);
  return (
    <FindingSection title="DMARC" host={dmarc.host} badge={<ResultBadge result={dmarc.result} />}>
      <p className="text-sm text-slate-600">{dmarc.message}</p>
      {dmarc.policy && (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          Policy <Badge tone={dmarc.policy === "none" ? "amber" : "green"}>{`p=${dmarc.policy}`}</Badge>
          {dmarc.inherited && <span>inherited from the parent domain</span>}
        </p>
      )}
      {dmarc.record && <RecordValue label={dmarc.result === "multiple" ? "Records found" : "Record found"} value={dmarc.record} />}
      {suggestion && <SuggestedRecordBox record={suggestion} />}
    </FindingSection>
  );
}
