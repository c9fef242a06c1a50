import type { Message } from "postmark";
import { formatAddress, mergedMetadata, overrideBody, overrideHeaders, pickFields } from "../shared/message-fields";
import type { OutboundMessage } from "../types";

/**
 * Postmark has a single Tag per message, so only the first tag is kept (all of them stay in our own
 * records); Metadata carries courierx_email_id and is echoed on every webhook. An override body may choose
 * the MessageStream, TrackOpens, TrackLinks and the Tag, add Metadata (courierx_email_id stays ours) and
 * Headers (replacing ours of the same name).
 */
export function toPostmarkMessage(message: OutboundMessage): Message {
  const override = overrideBody(message);
  const headers = Object.entries({ ...message.headers, ...overrideHeaders(override.Headers) }).map(([Name, Value]) => ({ Name, Value }));
  return {
    From: formatAddress(message.from, message.fromName),
    To: formatAddress(message.to, message.toName),
    ...(message.replyTo ? { ReplyTo: message.replyTo } : {}),
    Subject: message.subject,
    ...(message.html !== undefined ? { HtmlBody: message.html } : {}),
    ...(message.text !== undefined ? { TextBody: message.text } : {}),
    ...(message.tags[0] !== undefined ? { Tag: message.tags[0] } : {}),
    Metadata: mergedMetadata(message, override.Metadata),
    ...(headers.length > 0 ? { Headers: headers } : {}),
    ...(message.attachments.length > 0
      ? {
          Attachments: message.attachments.map((attachment) => ({
            Name: attachment.filename,
            Content: attachment.content,
            ContentType: attachment.contentType,
            ContentID: null,
          })),
        }
      : {}),
    MessageStream: "outbound",
    ...(pickFields(override, ["MessageStream", "TrackOpens", "TrackLinks", "Tag"]) as Partial<Message>),
  };
}
