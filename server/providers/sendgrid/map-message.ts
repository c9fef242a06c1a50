import type { MailDataRequired } from "@sendgrid/mail";
import { mergedMetadata, mergedTags, overrideBody } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/** SendGrid documents a cap of 10 categories per message. */
const MAX_CATEGORIES = 10;

/**
 * An override body (v3 API names, as SendGrid documents them) adds categories after our tags, custom_args
 * over the metadata (courierx_email_id always ours), and the sending options asm, ip_pool_name, batch_id,
 * tracking_settings and mail_settings (the helper converts its camelCase back to the API's names).
 */
export function toSendgridMail(message: OutboundMessage): MailDataRequired {
  const override = overrideBody(message);
  const categories = mergedTags(message.tags, override.categories, MAX_CATEGORIES);
  const body = message.html !== undefined ? { html: message.html, ...(message.text !== undefined ? { text: message.text } : {}) } : { text: message.text ?? "" };
  return {
    from: { email: message.from, ...(message.fromName ? { name: message.fromName } : {}) },
    to: { email: message.to, ...(message.toName ? { name: message.toName } : {}) },
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    ...body,
    ...(categories.length > 0 ? { categories } : {}),
    // custom_args come back as top-level keys on every event webhook entry.
    customArgs: mergedMetadata(message, override.custom_args),
    ...(Object.keys(message.headers).length > 0 ? { headers: { ...message.headers } } : {}),
    ...(message.attachments.length > 0
      ? {
          attachments: message.attachments.map((attachment) => ({
            content: attachment.content,
            filename: attachment.filename,
            type: attachment.contentType,
            disposition: "attachment",
          })),
        }
      : {}),
    ...sendingOptions(override),
  };
}

interface AsmOverride {
  group_id: number;
  groups_to_display?: number[];
}

function sendingOptions(override: Record<string, unknown>): Partial<MailDataRequired> {
  const asm = override.asm as AsmOverride | undefined;
  return {
    ...(asm ? { asm: { groupId: asm.group_id, ...(asm.groups_to_display ? { groupsToDisplay: asm.groups_to_display } : {}) } } : {}),
    ...(typeof override.ip_pool_name === "string" ? { ipPoolName: override.ip_pool_name } : {}),
    ...(typeof override.batch_id === "string" ? { batchId: override.batch_id } : {}),
    ...(override.tracking_settings ? { trackingSettings: override.tracking_settings as MailDataRequired["trackingSettings"] } : {}),
    ...(override.mail_settings ? { mailSettings: override.mail_settings as MailDataRequired["mailSettings"] } : {}),
  };
}
