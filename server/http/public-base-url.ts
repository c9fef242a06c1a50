import { env } from "../env";

/**
 * Where the app is reached from outside — the origin of the URLs it hands out (provider event webhooks,
 * one-click unsubscribe links): APP_URL when set (behind proxies), else this request's.
 */
export function publicBaseUrl(req: Request): string {
  return (env.APP_URL ?? new URL(req.url).origin).replace(/\/+$/, "");
}
