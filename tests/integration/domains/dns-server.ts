/**
 * A real DNS server on loopback (dns2, UDP and TCP on one random port, so truncated answers can be
 * retried over TCP as resolvers do) answering from a table the test edits, and
 * installed as the app's resolver through DNS_SERVERS. A name in the table answers its records (or
 * NOERROR without records of other types); a name absent from it is NXDOMAIN; `servfail` and `silent`
 * entries fail the way broken servers do; `aliases` puts CNAME records in every answer for the name (a
 * chain that loops or leads nowhere).
 */
import dns2 from "dns2";
import { env } from "@/server/env";
import { freePort } from "../../bench/app-server";

const { Packet } = dns2;

export interface DnsEntry {
  /** Each record is an array of character-strings, as on the wire. */
  txt?: (string | string[])[];
  cname?: string;
  /** CNAME records [owner, target] answered to any question for this name, before its other records. */
  aliases?: [string, string][];
  fault?: "servfail" | "silent";
}

export interface TestDnsServer {
  records: Map<string, DnsEntry>;
  /** Questions asked, as "TYPE name". */
  questions: string[];
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, DnsEntry>();
  const questions: string[] = [];
  const server = dns2.createServer({
    udp: true,
    tcp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0]!;
      const name = question.name.toLowerCase();
      const type = question.type === Packet.TYPE.TXT ? "TXT" : question.type === Packet.TYPE.CNAME ? "CNAME" : String(question.type);
      questions.push(`${type} ${name}`);
      const entry = records.get(name);
      if (entry?.fault === "silent") return;
      type Answer = (typeof response.answers)[number];
      const header = response.header as { rcode: number };
      const cname = (owner: string, target: string) => response.answers.push({ name: owner, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 60, domain: target } as unknown as Answer);
      if (!entry) header.rcode = 3; // NXDOMAIN
      else if (entry.fault === "servfail") header.rcode = 2;
      else {
        for (const [owner, target] of entry.aliases ?? []) cname(owner, target);
        if (type === "TXT") for (const data of entry.txt ?? []) response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data } as unknown as Answer);
        else if (type === "CNAME" && entry.cname) cname(question.name, entry.cname);
      }
      send(response);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    void server.listen({ udp: { port, address: "127.0.0.1" }, tcp: { port, address: "127.0.0.1" } }).then(() => resolve());
  });
  const saved = { DNS_SERVERS: env.DNS_SERVERS, DNS_TIMEOUT_MS: env.DNS_TIMEOUT_MS };
  Object.assign(env, { DNS_SERVERS: [`127.0.0.1:${port}`], DNS_TIMEOUT_MS: 1500 });
  return {
    records,
    questions,
    async close() {
      Object.assign(env, saved);
      await server.close();
    },
  };
}
