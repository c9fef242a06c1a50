/** Session tokens for the API and dashboard: HS256 JWTs, 24 h. */
import { jwtVerify, SignJWT } from "jose";
import { getSecrets } from "../env";

export const JWT_TTL_SECONDS = 24 * 60 * 60;
const ISSUER = "courierx";
const AUDIENCE = "courierx-api";

export interface SessionClaims {
  userId: string;
  tenantId: string;
}

export async function signSessionToken(claims: SessionClaims, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + JWT_TTL_SECONDS;
  const token = await new SignJWT({ tid: claims.tenantId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(getSecrets().jwtSecret);
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired token signed by us; null for anything else. */
export async function verifySessionToken(token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, getSecrets().jwtSecret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string") return null;
    return { userId: payload.sub, tenantId: payload.tid };
  } catch {
    return null;
  }
}

export function looksLikeJwt(token: string): boolean {
  return token.split(".").length === 3 && token.startsWith("eyJ");
}
