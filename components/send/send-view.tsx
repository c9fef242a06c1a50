"use client";
import { Suspense, useState } from "react";
import { useCanManage } from "../account/use-account";
import { ReadOnlyNotice } from "../account/read-only-notice";
import { ErrorBoundary } from "../common/error-boundary";
import { PageHeader } from "../common/page-header";
import { Card, CardBody } from "../ui/card";
import { Skeleton } from "../ui/skeleton";
import type { SandboxAddress } from "./sandbox-addresses";
import { SandboxGuide } from "./sandbox-guide";
import { DEFAULT_VALUES, SendForm, type SendFormProps } from "./send-form";
import { SendResult } from "./send-result";
import type { SentEmail } from "./send-types";

type Submitted = SendFormProps["initial"];

/** The send page: the form, then the accepted email (with "Send another" back to the same values). */
export function SendView({ sandbox }: { sandbox: SandboxAddress[] }) {
  const canManage = useCanManage();
  const [last, setLast] = useState<Submitted>({ values: DEFAULT_VALUES, mode: "test" });
  const [sent, setSent] = useState<SentEmail | null>(null);
  return (
    <>
      <PageHeader
        title="Send a test email"
        description="The real send path, the one POST /api/v1/emails takes: to the sandbox, where nothing leaves CourierX, or through your live provider connections."
      />
      <ReadOnlyNotice />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardBody>
            <ErrorBoundary title="The send form could not be loaded">
              <Suspense fallback={<FormSkeleton />}>
                {sent ? (
                  <SendResult email={sent} mode={last.mode} onSendAnother={() => setSent(null)} />
                ) : (
                  <SendForm
                    sandbox={sandbox}
                    initial={last}
                    readOnly={!canManage}
                    onSent={(email, submitted) => {
                      setLast(submitted);
                      setSent(email);
                    }}
                  />
                )}
              </Suspense>
            </ErrorBoundary>
          </CardBody>
        </Card>
        <SandboxGuide addresses={sandbox} />
      </div>
    </>
  );
}

function FormSkeleton() {
  return (
    <div role="status" aria-label="Loading the send form…" className="space-y-4">
      <Skeleton className="h-16" />
      <Skeleton className="h-10" />
      <Skeleton className="h-10" />
      <Skeleton className="h-32" />
    </div>
  );
}
