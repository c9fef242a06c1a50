-- AlterEnum
ALTER TYPE "EmailEventType" ADD VALUE 'canceled';

-- AlterEnum
ALTER TYPE "EmailStatus" ADD VALUE 'canceled';

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "canceledAt" TIMESTAMP(3),
ADD COLUMN     "scheduledAt" TIMESTAMP(3);
