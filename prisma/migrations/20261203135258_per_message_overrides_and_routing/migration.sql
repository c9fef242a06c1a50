-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "providerOverrideAuth" TEXT,
ADD COLUMN     "providerOverrides" JSONB,
ADD COLUMN     "routingConnectionIds" UUID[] DEFAULT ARRAY[]::UUID[];

-- An SMTP config override's credentials live only while the email can still be sent: whatever statement
-- moves it out of queued (sent, failed, suppressed, canceled), the same row write erases them. A trigger
-- rather than each writer remembering to: every path, and no window between the status and the erasure.
CREATE FUNCTION "email_erase_override_auth"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."providerOverrideAuth" := NULL;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "email_erase_override_auth"
  BEFORE UPDATE ON "Email"
  FOR EACH ROW
  WHEN (NEW."status" <> 'queued' AND NEW."providerOverrideAuth" IS NOT NULL)
  EXECUTE FUNCTION "email_erase_override_auth"();
