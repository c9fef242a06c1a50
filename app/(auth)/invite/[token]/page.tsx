import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import type { ReactNode } from "react";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { getCaller } from "@/trpc/server";
import { SIGN_IN_ERRORS, SIGN_IN_FAILED } from "../../sign-in/messages";

export const metadata: Metadata = { title: "Join an account — CourierX", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

type Preview = Awaited<ReturnType<Awaited<ReturnType<typeof getCaller>>["invitations"]["preview"]>>;

/** The invitation behind the link, or null when the link is not (or no longer) one. */
async function loadInvitation(token: string): Promise<Preview | null> {
  try {
    return await (await getCaller()).invitations.preview({ token });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
}

function Notice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <CardBody className="space-y-4 py-6 sm:px-6">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        <div className="space-y-3 text-sm text-slate-600">{children}</div>
        <Link href="/sign-in" className={buttonClasses("secondary", "md", "w-full")}>
          Go to sign in
        </Link>
      </CardBody>
    </Card>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await loadInvitation(token);
  if (!invitation) {
    return (
      <Notice title="This invitation link does not work">
        <p>It may have been revoked, or replaced by a newer link. Ask the person who invited you to send you a new one.</p>
      </Notice>
    );
  }
  if (invitation.status === "accepted") {
    return (
      <Notice title="This invitation has been used">
        <p>
          Someone has already joined <strong className="text-slate-900">{invitation.account.name}</strong> with it. If that was you, sign in with{" "}
          <strong className="text-slate-900">{invitation.email}</strong>.
        </p>
      </Notice>
    );
  }
  if (invitation.status === "expired") {
    return (
      <Notice title="This invitation has expired">
        <p>
          Invitations to <strong className="text-slate-900">{invitation.account.name}</strong> work for 7 days. Ask an owner or admin of the account for a new link.
        </p>
      </Notice>
    );
  }
  return (
    <Card>
      <CardBody className="space-y-6 py-6 sm:px-6">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Join {invitation.account.name} on CourierX</h1>
          <p className="mt-1 text-sm text-slate-500">
            You are invited as {invitation.role === "admin" ? "an admin" : "a member"}. Choose your name and a password to sign up.
          </p>
        </div>
        <AcceptInvitationForm token={token} email={invitation.email} errorMessages={SIGN_IN_ERRORS} fallbackError={SIGN_IN_FAILED} />
      </CardBody>
    </Card>
  );
}
