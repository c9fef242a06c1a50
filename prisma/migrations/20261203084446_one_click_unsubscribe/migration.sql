-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "unsubscribeUrl" TEXT;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "unsubscribeByDefault" BOOLEAN NOT NULL DEFAULT false;
