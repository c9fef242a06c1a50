/**
 * Next's proxy (middleware) for dashboard pages: hands the requested path to the dashboard layout (which
 * cannot see it) so that a signed-out visitor is sent to /sign-in?callbackUrl=<that path> and comes back.
 * The session itself is checked by the layout, against the database.
 */
import { NextResponse, type NextRequest } from "next/server";

export const DASHBOARD_PATH_HEADER = "x-courierx-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(DASHBOARD_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

// Literal paths only (Next reads the matcher at build time); keep in step with components/shell/nav-items.ts.
export const config = {
  matcher: [
    "/overview",
    "/emails/:path*",
    "/send",
    "/providers/:path*",
    "/routing-rules/:path*",
    "/domains/:path*",
    "/suppressions/:path*",
    "/webhooks/:path*",
    "/api-keys/:path*",
    "/settings/:path*",
  ],
};
