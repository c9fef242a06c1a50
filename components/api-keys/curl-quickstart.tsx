"use client";
import { useSyncExternalStore } from "react";
import { CopyButton } from "../common/copy-button";
import { Card, CardBody, CardHeader } from "../ui/card";

const noSubscription = () => () => {};

/** The first send with a key, against this app's own address (known in the browser only). */
export function CurlQuickstart() {
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => "https://your-courierx-host");
  const command = [
    `curl -X POST ${origin}/api/v1/emails \\`,
    `  -H "Authorization: Bearer YOUR_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{`,
    `    "from_email": "hello@yourapp.com",`,
    `    "to_email": "user@example.com",`,
    `    "subject": "Hello from CourierX",`,
    `    "html_body": "<h1>It works!</h1>"`,
    `  }'`,
  ].join("\n");
  return (
    <Card>
      <CardHeader
        title="Quickstart: send an email"
        description={
          <>
            Replace <code className="font-mono text-xs">YOUR_API_KEY</code> with a key from above (<code className="font-mono text-xs">cxk_live_…</code> or{" "}
            <code className="font-mono text-xs">cxk_test_…</code>).
          </>
        }
        actions={<CopyButton value={command} label="Copy curl command" />}
      />
      <CardBody>
        <pre aria-label="curl command" className="overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100">
          {command}
        </pre>
      </CardBody>
    </Card>
  );
}
