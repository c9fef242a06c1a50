import { CopyButton } from "../common/copy-button";
import { Card, CardBody, CardHeader } from "../ui/card";

const SNIPPET = `import { Webhook } from "standardwebhooks"; // npm install standardwebhooks

const webhook = new Webhook(process.env.COURIERX_WEBHOOK_SECRET); // "whsec_…"

// In your handler: the raw body as received (not re-serialized JSON) and the three headers.
const event = webhook.verify(rawBody, {
  "webhook-id": headers["webhook-id"],               // the same on every retry and replay: de-duplicate on it
  "webhook-timestamp": headers["webhook-timestamp"],
  "webhook-signature": headers["webhook-signature"],
}); // throws when the signature does not match or the timestamp is over 5 minutes old`;

/** How a receiver checks that a delivery came from CourierX, with a snippet to copy. */
export function VerifySignatures() {
  return (
    <Card>
      <CardHeader
        title="Verify signatures"
        description={
          <>
            Every delivery carries the Standard Webhooks headers <code className="font-mono text-xs">webhook-id</code>,{" "}
            <code className="font-mono text-xs">webhook-timestamp</code> and <code className="font-mono text-xs">webhook-signature</code> (an HMAC-SHA256 with your endpoint&apos;s
            secret; two signatures for 24 h after a rotation).
          </>
        }
        actions={<CopyButton value={SNIPPET} label="Copy verification code" />}
      />
      <CardBody>
        <pre aria-label="Signature verification code" className="overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100">
          {SNIPPET}
        </pre>
      </CardBody>
    </Card>
  );
}
