-- AlterEnum (an email mid-send reads queued: the attempt in flight is on attemptToken now)
BEGIN;
UPDATE "Email" SET "status" = 'queued' WHERE "status" = 'sending';
CREATE TYPE "EmailStatus_new" AS ENUM ('queued', 'sent', 'delivered', 'bounced', 'failed', 'suppressed');
ALTER TABLE "Email" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Email" ALTER COLUMN "status" TYPE "EmailStatus_new" USING ("status"::text::"EmailStatus_new");
ALTER TYPE "EmailStatus" RENAME TO "EmailStatus_old";
ALTER TYPE "EmailStatus_new" RENAME TO "EmailStatus";
DROP TYPE "EmailStatus_old";
ALTER TABLE "Email" ALTER COLUMN "status" SET DEFAULT 'queued';
COMMIT;

-- DropIndex
DROP INDEX "Email_tenantId_idempotencyKey_key";

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "attemptLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "attemptToken" UUID,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "possibleDuplicate" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN     "infraFailures" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SweepCursor" (
    "name" TEXT NOT NULL,
    "position" TIMESTAMP(3) NOT NULL,
    "lastId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SweepCursor_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "Email_status_queuedAt_idx" ON "Email"("status", "queuedAt");

-- CreateIndex
CREATE INDEX "Email_attemptLeaseUntil_idx" ON "Email"("attemptLeaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Email_tenantId_test_idempotencyKey_key" ON "Email"("tenantId", "test", "idempotencyKey");

-- CreateIndex
CREATE INDEX "JobRun_functionId_status_concurrencyKey_runAt_idx" ON "JobRun"("functionId", "status", "concurrencyKey", "runAt");

-- CreateIndex
CREATE INDEX "JobRun_status_finishedAt_idx" ON "JobRun"("status", "finishedAt");
