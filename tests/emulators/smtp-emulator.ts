import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { SMTP_REJECTED_RECIPIENT, type EmulatorCredentials } from "./credentials";
import { FaultPlan, type ArmedFault, type FaultOptions } from "./fault-plan";

/**
 * "421" / "450" / "550": that reply at RCPT TO (default) or after DATA (`stage: "data"`); "auth": 535 on
 * AUTH; "hang": never answer the end of DATA (the message arrived, the client hears nothing); "refuse":
 * close the port until healed.
 */
export type SmtpFault = "421" | "450" | "550" | "auth" | "hang" | "refuse";

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** Authenticated user of the session. */
  user?: string;
  /** Whether the session had been upgraded with STARTTLS. */
  secure: boolean;
  raw: Buffer;
}

const HOST = "127.0.0.1";
const CERT_DIR = new URL("./certs/", import.meta.url);
const TLS = { key: readFileSync(new URL("localhost-key.pem", CERT_DIR)), cert: readFileSync(new URL("localhost-cert.pem", CERT_DIR)) };

const REPLIES: Record<"421" | "450" | "550" | "auth", { code: number; text: string }> = {
  "421": { code: 421, text: "4.3.2 Service not available, closing transmission channel" },
  "450": { code: 450, text: "4.2.1 Mailbox temporarily unavailable, try again later" },
  "550": { code: 550, text: "5.1.1 The email account that you tried to reach does not exist" },
  auth: { code: 535, text: "5.7.8 Authentication credentials invalid" },
};

type QueuedSmtpFault = Exclude<SmtpFault, "refuse">;

/** A real SMTP server (smtp-server): AUTH PLAIN/LOGIN only after STARTTLS, with a self-signed certificate. */
export class SmtpEmulator {
  readonly host = HOST;
  readonly received: ReceivedMail[] = [];
  private readonly faults = new FaultPlan<"smtp", QueuedSmtpFault>();
  private server: SMTPServer;
  private refused = false;
  private sessions = 0;

  private constructor(
    private readonly credentials: EmulatorCredentials,
    private readonly record: boolean,
    public port: number,
  ) {
    this.server = this.createServer();
  }

  static async start(options: { credentials: EmulatorCredentials; record: boolean }): Promise<SmtpEmulator> {
    const emulator = new SmtpEmulator(options.credentials, options.record, 0);
    await emulator.listen();
    return emulator;
  }

  /** SMTP sessions opened so far (verify connections included): shows whether a pool reuses them. */
  get connectionCount(): number {
    return this.sessions;
  }

  parse(mail: ReceivedMail): Promise<ParsedMail> {
    return simpleParser(mail.raw);
  }

  async fail(fault: SmtpFault, options: FaultOptions = {}): Promise<void> {
    if (fault !== "refuse") {
      this.faults.add("smtp", fault, options);
      return;
    }
    this.refused = true;
    await this.close();
  }

  async heal(): Promise<void> {
    this.faults.clear();
    if (!this.refused) return;
    this.refused = false;
    this.server = this.createServer();
    await this.listen();
  }

  async reset(): Promise<void> {
    await this.heal();
    this.received.length = 0;
    this.sessions = 0;
  }

  stop(): Promise<void> {
    return this.close();
  }

  private createServer(): SMTPServer {
    return new SMTPServer({
      ...TLS,
      authMethods: ["PLAIN", "LOGIN"],
      logger: false,
      // Offline, reverse DNS of 127.0.0.1 would only add latency to every session.
      disableReverseLookup: true,
      // Hung sessions would otherwise hold close() for the default 30 s.
      closeTimeout: 100,
      size: 40 * 1024 * 1024,
      onConnect: (_session, callback) => {
        this.sessions += 1;
        callback();
      },
      onAuth: (auth, _session, callback) => {
        const { user, password } = this.credentials.smtp;
        if (this.faults.take("smtp", isFault("auth")) || auth.username !== user || auth.password !== password) {
          callback(smtpError("auth"));
          return;
        }
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, _session, callback) => {
        const armed = this.faults.take("smtp", isReplyFault("rcpt"));
        if (armed) return callback(smtpError(armed.fault as keyof typeof REPLIES));
        if (SMTP_REJECTED_RECIPIENT.test(address.address)) return callback(smtpError("550"));
        callback();
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      if (this.faults.take("smtp", isFault("hang"))) return;
      const armed = this.faults.take("smtp", isReplyFault("data"));
      if (armed) return callback(smtpError(armed.fault as keyof typeof REPLIES));
      if (this.record) {
        this.received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          },
          ...(typeof session.user === "string" ? { user: session.user } : {}),
          secure: session.secure,
          raw: Buffer.concat(chunks),
        });
      }
      callback(null, `2.0.0 Ok: queued as ${session.id}`);
    });
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, HOST, () => {
        this.server.off("error", reject);
        this.port = (this.server.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }
}

function isFault(fault: QueuedSmtpFault) {
  return (armed: ArmedFault<QueuedSmtpFault>) => armed.fault === fault;
}

function isReplyFault(stage: "rcpt" | "data") {
  return (armed: ArmedFault<QueuedSmtpFault>) =>
    (armed.fault === "421" || armed.fault === "450" || armed.fault === "550") && (armed.options.stage ?? "rcpt") === stage;
}

function smtpError(kind: keyof typeof REPLIES): Error {
  const reply = REPLIES[kind];
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}
