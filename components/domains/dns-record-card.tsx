import { Card, CardBody, CardHeader } from "../ui/card";
import { RecordRows } from "./finding-parts";
import type { DomainView } from "./types";

/** The TXT record that proves ownership, as the owner types it into their DNS provider. */
export function DnsRecordCard({ domain }: { domain: DomainView }) {
  return (
    <Card aria-labelledby="record-title">
      <CardHeader title={<span id="record-title">Verification record</span>} description="Add this TXT record at your DNS provider, then verify. It can stay published: the domain is checked again each time you verify." />
      <CardBody>
        <RecordRows record={domain.dns_record} hostHelp="Some DNS providers add your zone themselves: then enter only the part before it." />
      </CardBody>
    </Card>
  );
}
