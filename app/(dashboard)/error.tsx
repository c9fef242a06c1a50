"use client";
import { ErrorState } from "@/components/common/error-state";
import { Card } from "@/components/ui/card";

/** A page that failed keeps the sidebar: only this segment shows the error, with a retry. */
export default function DashboardError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <Card>
      <ErrorState error={error} retry={reset} title="This page could not be loaded" />
    </Card>
  );
}
