import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardBody } from "@/components/ui/card";
import { SIGN_IN_ERRORS, SIGN_IN_FAILED, signInError } from "./messages";
import { redirectIfSignedIn, safeCallbackUrl } from "./session";

export const metadata: Metadata = { title: "Sign in — CourierX" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  await redirectIfSignedIn(callbackUrl);
  const signUpHref = callbackUrl ? `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-up";
  return (
    <>
      <Card>
        <CardBody className="space-y-6 py-6 sm:px-6">
          <div>
            <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
            <p className="mt-1 text-sm text-slate-500">Welcome back. Sign in to your CourierX account.</p>
          </div>
          <SignInForm callbackUrl={callbackUrl} initialError={signInError(params.error)} errorMessages={SIGN_IN_ERRORS} fallbackError={SIGN_IN_FAILED} />
        </CardBody>
      </Card>
      <p className="mt-6 text-center text-sm text-slate-600">
        New to CourierX?{" "}
        <Link href={signUpHref} className="font-medium text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </>
  );
}
