import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A second, deliberately permissive SMTP server on 127.0.0.1 that records what clients try: every
 * connection and every AUTH attempt (user, password, whether the session was encrypted). It accepts any
 * credentials and also AUTH in clear text, so a client that would send them there shows up here. With
 * `starttls: false` it does not offer (or accept) STARTTLS at all.
 */
export interface AuthAttempt {
  username: string;
  password: string;
  secure: boolean;
}

const CERT_DIR = new URL("./certs/", import.meta.url);

export class RecordingSmtpServer {
  readonly host = "127.0.0.1";
  readonly auths: AuthAttempt[] = [];
  connections = 0;
  messages = 0;
  port = 0;
  private readonly server: SMTPServer;

  private constructor(starttls: boolean) {
    this.server = new SMTPServer({
      key: readFileSync(new URL("localhost-key.pem", CERT_DIR)),
      cert: readFileSync(new URL("localhost-cert.pem", CERT_DIR)),
      authMethods: ["PLAIN", "LOGIN"],
      allowInsecureAuth: true,
      ...(starttls ? {} : { disabledCommands: ["STARTTLS"] }),
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 100,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onAuth: (auth, session, callback) => {
        this.auths.push({ username: auth.username ?? "", password: auth.password ?? "", secure: session.secure });
        callback(null, { user: auth.username });
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on("end", () => {
          this.messages += 1;
          callback(null, "2.0.0 Ok");
        });
      },
    });
  }

  static async start(options: { starttls: boolean }): Promise<RecordingSmtpServer> {
    const recorder = new RecordingSmtpServer(options.starttls);
    await new Promise<void>((resolve, reject) => {
      recorder.server.once("error", reject);
      recorder.server.listen(0, recorder.host, () => {
        recorder.port = (recorder.server.server.address() as AddressInfo).port;
        resolve();
      });
    });
    return recorder;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
