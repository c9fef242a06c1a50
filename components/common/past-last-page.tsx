"use client";
import { Button } from "../ui/button";
import { EmptyState } from "./empty-state";

/** A list whose ?page= is past its last page (an old link, rows deleted meanwhile): the way back to page 1. */
export function PastLastPage({ total, noun, onFirstPage }: { total: number; noun: string; onFirstPage: () => void }) {
  return (
    <EmptyState
      variant="no-matches"
      title={`No ${noun} on this page`}
      description={`There are ${total} ${noun}; this page is past the last one.`}
      action={
        <Button variant="secondary" onClick={onFirstPage}>
          Go to the first page
        </Button>
      }
    />
  );
}
