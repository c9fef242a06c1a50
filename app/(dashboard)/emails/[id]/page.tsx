import Link from "next/link";
import { EmailDetail } from "@/components/emails/email-detail";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata = { title: "Email · CourierX" };

/** One email: its header and bodies are loaded before the page is sent (an unknown or other tenant's id is not found); the timeline streams. */
export default async function EmailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await fetchOrNotFound(trpc.emails.get.queryOptions({ id }));
  prefetch(trpc.emails.timeline.queryOptions({ id }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link href="/emails" className="text-indigo-700 hover:underline">
          ← All emails
        </Link>
      </nav>
      <HydrateClient>
        <EmailDetail id={id} />
      </HydrateClient>
    </>
  );
}
