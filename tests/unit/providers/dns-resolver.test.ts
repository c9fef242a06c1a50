/**
 * The guard's own resolver (c-ares, off libuv's threadpool) against a real DNS server on loopback (dns2):
 * answers become addresses of both families, a server that never answers is a temporary failure (not a
 * fall-back to the blocking getaddrinfo), and SERVFAIL is temporary too.
 */
import { Resolver } from "node:dns/promises";
import dns2 from "dns2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsResolverFor } from "@/server/lib/outbound-guard";

const { Packet } = dns2;
let server: ReturnType<typeof dns2.createServer>;
let resolve: ReturnType<typeof dnsResolverFor>;

beforeAll(async () => {
  server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0]!;
      if (question.name === "slow.test") return; // never answers
      if (question.name === "broken.test") {
        (response.header as { rcode: number }).rcode = 2; // SERVFAIL
      } else if (question.name === "mail.provider.test") {
        // dns2's Resource type wants its own methods; plain records are what its encoder reads.
        type Answer = (typeof response.answers)[number];
        if (question.type === Packet.TYPE.A) response.answers.push({ name: question.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 60, address: "93.184.216.34" } as unknown as Answer);
        if (question.type === Packet.TYPE.AAAA) response.answers.push({ name: question.name, type: Packet.TYPE.AAAA, class: Packet.CLASS.IN, ttl: 60, address: "2606:2800:220:1::1" } as unknown as Answer);
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const { port } = (server.addresses() as { udp: { port: number } }).udp;
  const resolver = new Resolver({ timeout: 300, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  resolve = dnsResolverFor(resolver);
});

afterAll(async () => {
  await server.close();
});

describe("the guard's resolver", () => {
  it("returns the A and AAAA answers", async () => {
    expect(await resolve("mail.provider.test")).toEqual([
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ]);
  });

  it("reports a server that never answers as a temporary failure (no fall-back to getaddrinfo)", async () => {
    await expect(resolve("slow.test")).rejects.toMatchObject({ code: "ETIMEOUT" });
  });

  it("reports SERVFAIL as a temporary failure", async () => {
    await expect(resolve("broken.test")).rejects.toMatchObject({ code: "ESERVFAIL" });
  });
});
