import type { ProviderConnection } from "../../db";
import { getDb } from "../../db";
import { logger } from "../../lib/logger";
import { getProviderAdapter } from "../../providers";
import type { VerifyResult } from "../../providers/types";
import { toProviderConfig } from "./connection-secrets";

const VERIFY_TIMEOUT_MS = 10_000;

/** Asks the provider whether the credentials work, and stores the answer on the connection. */
export async function verifyAndStore(row: ProviderConnection): Promise<{ row: ProviderConnection; result: VerifyResult }> {
  let result: VerifyResult;
  try {
    result = await getProviderAdapter(row.provider).verify(toProviderConfig(row), { timeoutMs: VERIFY_TIMEOUT_MS });
  } catch (error) {
    logger.error("provider verification crashed", { connectionId: row.id, provider: row.provider, error: error instanceof Error ? error.message : String(error) });
    result = { status: "failed", message: "Verification could not be completed" };
  }
  logger.info("provider connection verified", { tenantId: row.tenantId, connectionId: row.id, provider: row.provider, status: result.status, message: result.message });
  const db = await getDb();
  const updated = await db.providerConnection.update({
    where: { id: row.id, tenantId: row.tenantId },
    data: { verificationStatus: result.status, verificationMessage: result.message, verifiedAt: result.status === "verified" ? new Date() : row.verifiedAt },
  });
  return { row: updated, result };
}
