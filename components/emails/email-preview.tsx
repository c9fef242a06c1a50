"use client";
import { useId, useState } from "react";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Checkbox } from "../ui/input";

const REMOTE = /(?:\bsrc(?:set)?\s*=\s*["']?\s*|url\(\s*["']?\s*)(?:https?:)?\/\//gi;

/** How many images, backgrounds or fonts the HTML would load from the network. */
export function countRemoteResources(html: string): number {
  return html.match(REMOTE)?.length ?? 0;
}

/**
 * The email's HTML as the preview frame's document. The frame is sandboxed without any permission (no
 * scripts, an opaque origin, no forms, no popups, no top navigation); on top of that this policy loads
 * nothing from the network unless remote images are allowed (opening an email must not tell its tracking
 * pixels it was read), and links open nowhere.
 */
export function previewDocument(html: string, allowRemote: boolean): string {
  const remote = allowRemote ? " https: http:" : "";
  const policy = `default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:${remote}; font-src data:${remote}; form-action 'none'; base-uri 'none'`;
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}"><meta name="referrer" content="no-referrer"><base target="_blank">${html}`;
}

export function EmailPreview({ html, text }: { html: string | null; text: string | null }) {
  return (
    <>
      <HtmlPreview html={html} />
      <Card>
        <CardHeader title="Plain text" />
        <CardBody>
          {text ? (
            <pre aria-label="Plain text body" className="max-h-[32rem] overflow-auto font-mono text-sm break-words whitespace-pre-wrap text-slate-800">
              {text}
            </pre>
          ) : (
            <p className="text-sm text-slate-500">This email has no plain-text body.</p>
          )}
        </CardBody>
      </Card>
    </>
  );
}

function HtmlPreview({ html }: { html: string | null }) {
  const [allowRemote, setAllowRemote] = useState(false);
  const toggleId = useId();
  const remote = html ? countRemoteResources(html) : 0;
  return (
    <Card>
      <CardHeader
        title="HTML preview"
        description={html ? (remote > 0 && !allowRemote ? `${remote} remote ${remote === 1 ? "image is" : "images are"} blocked.` : "Scripts never run here.") : undefined}
        actions={
          html && remote > 0 ? (
            <label htmlFor={toggleId} className="flex items-center gap-2 text-sm text-slate-700">
              <Checkbox id={toggleId} checked={allowRemote} onChange={(e) => setAllowRemote(e.target.checked)} />
              Load remote images
            </label>
          ) : undefined
        }
      />
      {html ? (
        <div className="h-[32rem] resize-y overflow-hidden bg-white">
          <iframe title="HTML preview of the email" sandbox="" referrerPolicy="no-referrer" srcDoc={previewDocument(html, allowRemote)} className="size-full border-0" />
        </div>
      ) : (
        <CardBody>
          <p className="text-sm text-slate-500">This email has no HTML body.</p>
        </CardBody>
      )}
    </Card>
  );
}
