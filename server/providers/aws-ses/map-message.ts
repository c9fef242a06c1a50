import type { SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { base64ToBuffer, EMAIL_ID_METADATA_KEY, formatAddress, mergeByName, overrideBody, tagPairs } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

const CHARSET = "UTF-8";

/**
 * Simple content (SESv2 supports Headers and Attachments there), so SES builds the MIME itself. Tags and
 * metadata, including courierx_email_id, travel as EmailTags, which come back in every SES event as
 * `mail.tags`; SES restricts them to [A-Za-z0-9_-], hence the sanitising. An override body may name the
 * configuration set, add EmailTags (theirs replace ours of the same name, never courierx_email_id) and set
 * ListManagementOptions.
 */
export function toSesSendEmailInput(message: OutboundMessage): SendEmailCommandInput {
  const headers = Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value }));
  const override = overrideBody(message);
  const ours = tagPairs(message).map(({ name, value }) => ({ Name: name, Value: value }));
  const emailIdTag = ours.filter((tag) => tag.Name === EMAIL_ID_METADATA_KEY);
  const theirs = (override.EmailTags as { Name: string; Value: string }[] | undefined) ?? [];
  return {
    // SES requires RFC 2047 encoded-words for non-ASCII display names.
    FromEmailAddress: formatAddress(message.from, message.fromName, { encodeNonAscii: true }),
    Destination: { ToAddresses: [formatAddress(message.to, message.toName, { encodeNonAscii: true })] },
    ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: CHARSET },
        Body: {
          ...(message.text !== undefined ? { Text: { Data: message.text, Charset: CHARSET } } : {}),
          ...(message.html !== undefined ? { Html: { Data: message.html, Charset: CHARSET } } : {}),
        },
        ...(headers.length > 0 ? { Headers: headers } : {}),
        ...(message.attachments.length > 0
          ? {
              Attachments: message.attachments.map((attachment) => ({
                RawContent: base64ToBuffer(attachment.content),
                FileName: attachment.filename,
                ContentType: attachment.contentType,
                ContentDisposition: "ATTACHMENT" as const,
              })),
            }
          : {}),
      },
    },
    EmailTags: mergeByName((tag) => tag.Name, ours, theirs, emailIdTag),
    ...(typeof override.ConfigurationSetName === "string" ? { ConfigurationSetName: override.ConfigurationSetName } : {}),
    ...(override.ListManagementOptions ? { ListManagementOptions: override.ListManagementOptions as SendEmailCommandInput["ListManagementOptions"] } : {}),
  };
}
