/**
 * The small HTML page behind an unsubscribe link: no scripts, no outside resources, nothing cached, never
 * framed. Plain server-rendered markup, so it works in any browser a recipient opens it with.
 */
export type UnsubscribePageState =
  | { kind: "confirm"; accountName: string; recipient: string; action: string }
  | { kind: "done"; accountName: string; recipient: string }
  | { kind: "invalid" };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function body(state: UnsubscribePageState): { title: string; html: string } {
  switch (state.kind) {
    case "confirm":
      return {
        title: "Unsubscribe",
        html: `<h1>Unsubscribe?</h1>
<p><strong>${escapeHtml(state.recipient)}</strong> will no longer receive email from ${escapeHtml(state.accountName)}.</p>
<form method="post" action="${escapeHtml(state.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      };
    case "done":
      return {
        title: "Unsubscribed",
        html: `<h1>You are unsubscribed</h1>
<p><strong>${escapeHtml(state.recipient)}</strong> will no longer receive email from ${escapeHtml(state.accountName)}.</p>`,
      };
    case "invalid":
      return { title: "Link not valid", html: `<h1>This unsubscribe link is not valid</h1>\n<p>It may have been copied incompletely. Use the link in the email itself, or contact the sender.</p>` };
  }
}

export function unsubscribePage(state: UnsubscribePageState, status = 200): Response {
  const { title, html } = body(state);
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;background:#f8fafc;margin:0;padding:4rem 1rem}main{max-width:28rem;margin:0 auto;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem}h1{font-size:1.25rem;margin:0 0 .75rem}p{color:#475569;overflow-wrap:anywhere}button{font:inherit;font-weight:600;color:#fff;background:#4f46e5;border:0;border-radius:.5rem;padding:.6rem 1.2rem;cursor:pointer}button:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}</style>
</head><body><main>
${html}
</main></body></html>`;
  return new Response(page, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
