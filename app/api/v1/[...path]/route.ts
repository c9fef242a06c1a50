import { notFoundRoute } from "@/server/http/api-route";

// Any other /api/v1 path — the seed's 404 body instead of Next.js's HTML page
export const GET = notFoundRoute;
export const POST = notFoundRoute;
export const PUT = notFoundRoute;
export const PATCH = notFoundRoute;
export const DELETE = notFoundRoute;
