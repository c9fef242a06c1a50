-- DropForeignKey
ALTER TABLE "UsageCounter" DROP CONSTRAINT "UsageCounter_tenantId_fkey";

-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "findings" JSONB;

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "bouncedAt" TIMESTAMP(3),
ADD COLUMN     "eventSequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rollupFresh" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rollupMask" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "EmailEvent" ADD COLUMN     "sequence" INTEGER;

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "eventsSecretsEncrypted" TEXT,
ADD COLUMN     "lastEventAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Suppression" ADD COLUMN     "provider" "ProviderName";

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "completedAt" TIMESTAMP(3),
ADD COLUMN     "dispatchedAt" TIMESTAMP(3),
ADD COLUMN     "eventId" UUID,
ADD COLUMN     "messageId" TEXT NOT NULL,
ADD COLUMN     "replayOfId" UUID;

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "disabledReason" TEXT,
ADD COLUMN     "failingSince" TIMESTAMP(3),
ADD COLUMN     "lastFailureAt" TIMESTAMP(3),
ADD COLUMN     "lastSuccessAt" TIMESTAMP(3),
ADD COLUMN     "previousSecretEncrypted" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMP(3);

-- DropTable
DROP TABLE "UsageCounter";

-- CreateTable
CREATE TABLE "WebhookDeliveryAttempt" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "error" TEXT,
    "responseSnippet" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailDailyStat" (
    "tenantId" UUID NOT NULL,
    "test" BOOLEAN NOT NULL,
    "day" DATE NOT NULL,
    "provider" TEXT NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "bounced" INTEGER NOT NULL DEFAULT 0,
    "complained" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "unsubscribed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "suppressed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "EmailDailyStat_pkey" PRIMARY KEY ("tenantId","test","day","provider")
);

-- CreateTable
CREATE TABLE "SeenWebhookToken" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SeenWebhookToken_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "WebhookDeliveryAttempt_tenantId_createdAt_idx" ON "WebhookDeliveryAttempt"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDeliveryAttempt_deliveryId_attempt_key" ON "WebhookDeliveryAttempt"("deliveryId", "attempt");

-- CreateIndex
CREATE INDEX "SeenWebhookToken_expiresAt_idx" ON "SeenWebhookToken"("expiresAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_dispatchedAt_createdAt_idx" ON "WebhookDelivery"("status", "dispatchedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_eventId_key" ON "WebhookDelivery"("endpointId", "eventId");

-- AddForeignKey
ALTER TABLE "WebhookDeliveryAttempt" ADD CONSTRAINT "WebhookDeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailDailyStat" ADD CONSTRAINT "EmailDailyStat_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
