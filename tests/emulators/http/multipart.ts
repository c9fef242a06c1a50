import type { ParsedForm } from "./types";

/**
 * Minimal multipart/form-data parser (busboy is not installed): enough for what form-data produces, i.e.
 * CRLF line endings, a Content-Disposition with name (and filename for files) and an optional Content-Type.
 */
export function parseMultipart(body: Buffer, contentType: string): ParsedForm {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const token = boundary?.[1] ?? boundary?.[2];
  const form: ParsedForm = { fields: {}, files: [] };
  if (!token) return form;
  const delimiter = Buffer.from(`\r\n--${token}`);
  // Prepend CRLF so the first boundary looks like every other one.
  const data = Buffer.concat([Buffer.from("\r\n"), body]);
  let start = data.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (data.subarray(partStart, partStart + 2).toString() === "--") break;
    const end = data.indexOf(delimiter, partStart);
    if (end === -1) break;
    addPart(form, data.subarray(partStart + 2, end));
    start = end;
  }
  return form;
}

function addPart(form: ParsedForm, part: Buffer): void {
  const split = part.indexOf("\r\n\r\n");
  if (split === -1) return;
  const headers = part.subarray(0, split).toString("utf8");
  const content = part.subarray(split + 4);
  const name = /name="([^"]*)"/i.exec(headers)?.[1];
  if (name === undefined) return;
  const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
  if (filename !== undefined) {
    const type = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
    form.files.push({ field: name, filename, contentType: type, content: Buffer.from(content) });
    return;
  }
  (form.fields[name] ??= []).push(content.toString("utf8"));
}
