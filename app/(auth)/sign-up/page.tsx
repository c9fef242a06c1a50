import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { Card, CardBody } from "@/components/ui/card";
import { SIGN_IN_ERRORS, SIGN_IN_FAILED } from "../sign-in/messages";
import { redirectIfSignedIn, safeCallbackUrl } from "../sign-in/session";

export const metadata: Metadata = { title: "Create your account — CourierX" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ callbackUrl?: string | string[] }>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  await redirectIfSignedIn(callbackUrl);
  const signInHref = callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in";
  return (
    <>
      <Card>
        <CardBody className="space-y-6 py-6 sm:px-6">
          <div>
            <h1 className="text-xl font-semibold tracking-tight">Create your account</h1>
            <p className="mt-1 text-sm text-slate-500">Send through your own providers, with failover built in.</p>
          </div>
          <SignUpForm callbackUrl={callbackUrl} errorMessages={SIGN_IN_ERRORS} fallbackError={SIGN_IN_FAILED} />
        </CardBody>
      </Card>
      <p className="mt-6 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={signInHref} className="font-medium text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </>
  );
}
