const providers = ["SendGrid", "AWS SES", "Mailgun", "Postmark", "Resend", "SMTP"];

const features = [
  { title: "Automatic failover", body: "A provider outage moves your email to the next provider, step by durable step." },
  { title: "Bring your own keys", body: "Your provider accounts, encrypted at rest. Your reputation, your deliverability." },
  { title: "Suppressions built in", body: "Bounces, complaints and unsubscribes are checked before anything is sent." },
  { title: "No lock-in", body: "Switch or add providers with one API call. Your code stays the same." },
];

const quickstart = `curl -X POST http://localhost:3000/api/v1/auth/register \\
  -H "Content-Type: application/json" \\
  -d '{"name":"My App","email":"you@example.com","password":"your-password","password_confirmation":"your-password"}'`;

export default function LandingPage() {
  return (
    <main className="mx-auto max-w-4xl px-6 py-20">
      <p className="text-sm font-semibold uppercase tracking-widest text-indigo-600">CourierX</p>
      <h1 className="mt-3 text-5xl font-bold tracking-tight">Ship email that always delivers.</h1>
      <p className="mt-6 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
        One API. Every major provider. Automatic failover, BYOK routing and suppressions built in — so a provider outage never reaches your users.
      </p>
      <ul className="mt-8 flex flex-wrap gap-2" aria-label="Supported providers">
        {providers.map((p) => (
          <li key={p} className="rounded-full border border-slate-300 px-3 py-1 text-sm dark:border-slate-700">
            {p}
          </li>
        ))}
      </ul>
      <section className="mt-14 grid gap-6 sm:grid-cols-2">
        {features.map((f) => (
          <div key={f.title} className="rounded-xl border border-slate-200 p-5 dark:border-slate-800">
            <h2 className="font-semibold">{f.title}</h2>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{f.body}</p>
          </div>
        ))}
      </section>
      <section className="mt-14">
        <h2 className="text-xl font-semibold">Quickstart</h2>
        <pre className="mt-4 overflow-x-auto rounded-xl bg-slate-900 p-5 text-sm text-slate-100">{quickstart}</pre>
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
          Then create an API key with <code>POST /api/v1/api_keys</code> and send with <code>POST /api/v1/emails</code>. Health: <a className="underline" href="/api/health">/api/health</a>.
        </p>
        <p className="mt-4 text-sm">
          <a className="font-medium text-indigo-600 underline" href="/reference">
            API reference
          </a>{" "}
          <span className="text-slate-600 dark:text-slate-300">
            — every endpoint, field and error, from the OpenAPI 3.1 document at <a className="underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
          </span>
        </p>
      </section>
    </main>
  );
}
