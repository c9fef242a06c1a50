"use client";
import { Suspense, useState } from "react";
import { useCanManage } from "../account/use-account";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { ErrorBoundary } from "../common/error-boundary";
import { PageHeader } from "../common/page-header";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { TableSkeleton } from "../ui/skeleton";
import { ApiKeyTable } from "./api-key-table";
import { CreateApiKeyDialog } from "./create-api-key";
import { CurlQuickstart } from "./curl-quickstart";
import { MODE_HELP } from "./mode-badge";

/** The API keys page: the list, the create dialog (opened from the header or the empty state), the quickstart. */
export function ApiKeysView() {
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Authenticate REST requests with <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. {MODE_HELP.live} {MODE_HELP.test}
          </>
        }
        actions={canManage ? <Button onClick={() => setCreating(true)}>Create API key</Button> : undefined}
      />
      <ReadOnlyNotice />
      <div className="space-y-6">
        <Card>
          <ErrorBoundary title="The API keys could not be loaded">
            <Suspense fallback={<TableSkeleton columns={6} label="Loading API keys…" />}>
              <ApiKeyTable onCreate={() => setCreating(true)} />
            </Suspense>
          </ErrorBoundary>
        </Card>
        <CurlQuickstart />
      </div>
      {canManage && <CreateApiKeyDialog open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
