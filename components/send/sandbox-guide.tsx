import { Card, CardBody, CardHeader } from "../ui/card";
import type { SandboxAddress } from "./sandbox-addresses";

/** What test mode does with each reserved address (the same list the sandbox plays). */
export function SandboxGuide({ addresses }: { addresses: SandboxAddress[] }) {
  return (
    <Card>
      <CardHeader title="Sandbox addresses" description="In test mode these addresses get the events a provider would report, on the timeline, in analytics and in your webhooks (marked test)." />
      <CardBody>
        <dl className="space-y-2 text-sm">
          {addresses.map(({ address, events }) => (
            <div key={address} className="min-w-0">
              <dt className="font-mono text-xs break-all text-slate-800">{address}</dt>
              <dd className="text-xs text-slate-500">sent → {events}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          Any other address ends at <span className="font-medium">sent</span>. A bounce, complaint or unsubscribe suppresses its address: delete the suppression to play it again.
        </p>
      </CardBody>
    </Card>
  );
}
