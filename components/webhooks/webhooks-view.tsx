"use client";
import { Suspense, useState } from "react";
import { useCanManage } from "../account/use-account";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { ErrorBoundary } from "../common/error-boundary";
import { PageHeader } from "../common/page-header";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { TableSkeleton } from "../ui/skeleton";
import { CreateEndpointDialog } from "./create-endpoint";
import { EndpointTable } from "./endpoint-table";
import { VerifySignatures } from "./verify-signatures";

/** The webhooks page: endpoints, the add dialog (from the header or the empty state), how to verify. */
export function WebhooksView() {
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="CourierX posts every event of your emails (sent, delivered, bounced, opened…) to these endpoints, signed with Standard Webhooks."
        actions={canManage ? <Button onClick={() => setCreating(true)}>Add endpoint</Button> : undefined}
      />
      <ReadOnlyNotice />
      <div className="space-y-6">
        <Card>
          <ErrorBoundary title="The webhook endpoints could not be loaded">
            <Suspense fallback={<TableSkeleton columns={5} label="Loading webhook endpoints…" />}>
              <EndpointTable onCreate={() => setCreating(true)} />
            </Suspense>
          </ErrorBoundary>
        </Card>
        <VerifySignatures />
      </div>
      {canManage && <CreateEndpointDialog open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
