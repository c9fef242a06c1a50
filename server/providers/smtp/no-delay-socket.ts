import { connect, type Socket } from "node:net";
import type SMTPPool from "nodemailer/lib/smtp-pool";

type SocketCallback = (error: Error | null, socketOptions?: { connection: Socket }) => void;

/**
 * Nodemailer writes a message body and its closing "\r\n.\r\n" as separate small writes. With Nagle's
 * algorithm on, the second write waits for the server's delayed ACK (40 ms on Linux): about 40 ms lost per
 * message per connection. Handing the pool pre-connected sockets with TCP_NODELAY removes that stall
 * (measured against the local server: ~46 ms down to ~4 ms per message). Nodemailer treats such a socket
 * like a proxied one and still does implicit TLS or STARTTLS, greeting and AUTH itself.
 */
export function connectWithoutNagle(timeoutMs: number): NonNullable<SMTPPool.Options["getSocket"]> {
  return (options: SMTPPool.Options, callback: SocketCallback) => {
    let settled = false;
    const settle = (error: Error | null, socket?: Socket) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.removeListener("error", onError);
      if (error) callback(error);
      else if (socket) callback(null, { connection: socket });
    };
    const onError = (error: Error) => {
      socket.destroy();
      settle(error);
    };
    const socket = connect({ host: options.host, port: options.port ?? 587, noDelay: true });
    // Same message and code as nodemailer's own connect timeout, so classification does not change.
    const timer = setTimeout(() => onError(Object.assign(new Error("Connection timeout"), { code: "ETIMEDOUT" })), timeoutMs);
    socket.once("error", onError);
    socket.once("connect", () => settle(null, socket));
  };
}
