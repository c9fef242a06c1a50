import { notFoundMethods } from "@/server/http/methods";

// Any other /api/v1 path — the seed's 404 body for every method, instead of Next.js's HTML page
export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = notFoundMethods();
