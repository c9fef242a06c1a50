import type { LookupAddress } from "node:dns";
import { describe, expect, it, vi } from "vitest";
import {
  assertOutboundHostAllowed,
  assertOutboundUrlAllowed,
  guardedLookup,
  nonPublicRange,
  OutboundAddressError,
  type OutboundGuard,
  type OutboundPolicy,
  type OutboundResolver,
  type ResolvedAddress,
} from "@/server/lib/outbound-guard";

const PRODUCTION: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const EMBEDDED: OutboundPolicy = { allowLoopback: true, allowPrivate: false };
const ALLOW_PRIVATE: OutboundPolicy = { allowLoopback: true, allowPrivate: true };

/** A guard with a scripted resolver: each call takes the next answer (the last one repeats). */
function guardWith(policy: OutboundPolicy, ...answers: (ResolvedAddress[] | string)[]): OutboundGuard & { calls: string[] } {
  const calls: string[] = [];
  const resolve: OutboundResolver = async (hostname) => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)] ?? "ENOTFOUND";
    if (typeof answer === "string") throw Object.assign(new Error(`queryA ${answer} ${hostname}`), { code: answer });
    return answer;
  };
  return { policy, resolve, key: "test", calls };
}

const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];

async function refusal(promise: Promise<unknown>): Promise<OutboundAddressError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof OutboundAddressError)) throw new Error(`expected OutboundAddressError, got ${String(error)}`);
  return error;
}

function lookupOnce(guard: OutboundGuard, hostname: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) => {
    guardedLookup(guard)(hostname, options, (error, address, family) => resolve({ error, address, ...(family !== undefined ? { family } : {}) }));
  });
}

describe("nonPublicRange", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.20.30.40", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["0.0.0.0", "this network"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fc00::1", "unique local (private)"],
    ["fd12:3456:789a::1", "unique local (private)"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped link-local"],
    ["0:0:0:0:0:ffff:10.0.0.1", "IPv4-mapped private"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["64:ff9b::192.168.0.1", "NAT64 private"],
    ["2002:a00:1::1", "6to4 private"],
    ["::ffff:0:7f00:1", "IPv4-translated loopback"],
    ["::ffff:0:10.1.2.3", "IPv4-translated private"],
    ["64:ff9b:1::8.8.8.8", "local-use NAT64"],
    ["2001:0:4136:e378::1", "Teredo"],
    ["100::1", "discard"],
  ])("%s is %s", (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])("%s is public", (address) => {
    expect(nonPublicRange(address)).toBeUndefined();
  });
});

describe("the policy in each mode", () => {
  const loopback = ["http://127.0.0.1:4010/x", "http://127.9.9.9/", "http://[::1]:8080/"];
  const internal = [
    "http://10.0.0.5/",
    "http://172.20.1.1/",
    "http://192.168.1.10/",
    "http://169.254.169.254/latest/meta-data",
    "http://100.100.100.200/",
    "http://0.0.0.0:25/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::1]/",
  ];

  it.each(loopback)("loopback %s: allowed embedded, refused in production", async (url) => {
    await expect(assertOutboundUrlAllowed(url, guardWith(EMBEDDED))).resolves.toHaveLength(1);
    const error = await refusal(assertOutboundUrlAllowed(url, guardWith(PRODUCTION)));
    expect(error.code).toBe("EOUTBOUND");
    expect(error.message).toMatch(/not a public address \(loopback\)/);
  });

  it.each(internal)("internal %s: refused in every mode unless private outbound is allowed", async (url) => {
    for (const policy of [PRODUCTION, EMBEDDED]) {
      const error = await refusal(assertOutboundUrlAllowed(url, guardWith(policy)));
      expect(error.code).toBe("EOUTBOUND");
      expect(error.message).toMatch(/is not a public address \(.+\)/);
    }
    await expect(assertOutboundUrlAllowed(url, guardWith(ALLOW_PRIVATE))).resolves.toHaveLength(1);
  });

  it("allows public literal addresses over http and https in every mode", async () => {
    for (const policy of [PRODUCTION, EMBEDDED]) {
      await expect(assertOutboundUrlAllowed("https://93.184.216.34/v3", guardWith(policy))).resolves.toEqual(v4("93.184.216.34"));
      await expect(assertOutboundUrlAllowed("http://[2606:4700:4700::1111]:8080/x", guardWith(policy))).resolves.toEqual([{ address: "2606:4700:4700::1111", family: 6 }]);
    }
  });

  it("refuses other schemes and what is not a URL, even when private addresses are allowed", async () => {
    const error = await refusal(assertOutboundUrlAllowed("file:///etc/passwd", guardWith(ALLOW_PRIVATE)));
    expect(error.code).toBe("EINVAL");
    expect(error.message).toMatch(/Only http and https/);
    expect((await refusal(assertOutboundUrlAllowed("gopher://example.com/", guardWith(ALLOW_PRIVATE)))).code).toBe("EINVAL");
    expect((await refusal(assertOutboundUrlAllowed("not a url", guardWith(ALLOW_PRIVATE)))).code).toBe("EINVAL");
  });
});

describe("odd spellings of an address", () => {
  // What `new URL` turns them into is what fetch and axios connect to.
  it.each(["http://0x7f.1/", "http://2130706433/", "http://127.1/", "http://0177.0.0.1/", "http://0x7f000001/", "http://127.0.0.1./", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/"])(
    "%s is loopback, refused in production without asking any resolver",
    async (url) => {
      const guard = guardWith(PRODUCTION, v4("93.184.216.34"));
      expect((await refusal(assertOutboundUrlAllowed(url, guard))).code).toBe("EOUTBOUND");
      expect(guard.calls).toEqual([]);
    },
  );

  // SMTP hosts are not URLs, but inet_aton reads them the same way, so they are addresses too.
  it.each(["0x7f.1", "2130706433", "127.1", "0177.0.0.1", "[::ffff:7f00:1]", "0x0a.0.0.1", "167772161", "0xa9.0xfe.0xa9.0xfe"])("SMTP host %s is checked as the address it spells", async (host) => {
    const guard = guardWith(EMBEDDED, v4("93.184.216.34"));
    const result = await assertOutboundHostAllowed(host, guard).then(
      (addresses) => addresses,
      (error: unknown) => error,
    );
    expect(guard.calls).toEqual([]);
    if (/^(0x7f|2130706433|127|0177)/.test(host)) expect(result).toEqual(v4("127.0.0.1"));
    else expect(result).toBeInstanceOf(OutboundAddressError);
    expect((await refusal(assertOutboundHostAllowed(host, guardWith(PRODUCTION)))).code).toBe("EOUTBOUND");
  });

  it("localhost names are loopback: refused in production before any DNS query", async () => {
    for (const name of ["localhost", "LOCALHOST.", "mail.localhost"]) {
      const guard = guardWith(PRODUCTION, v4("93.184.216.34"));
      expect((await refusal(assertOutboundHostAllowed(name, guard))).message).toMatch(/loopback/);
      expect(guard.calls).toEqual([]);
    }
    await expect(assertOutboundHostAllowed("localhost", guardWith(EMBEDDED, v4("127.0.0.1")))).resolves.toEqual(v4("127.0.0.1"));
  });
});

describe("names", () => {
  it("refuses a name that resolves to a private address, in production and embedded alike", async () => {
    for (const policy of [PRODUCTION, EMBEDDED]) {
      const error = await refusal(assertOutboundUrlAllowed("https://mail.customer.test/", guardWith(policy, v4("10.0.0.1"))));
      expect(error.code).toBe("EOUTBOUND");
      // The tenant learns the name is refused, not which internal address it resolves to here.
      expect(error.message).toBe("mail.customer.test resolves to a non-public address");
    }
    const loopback = await refusal(assertOutboundHostAllowed("relay.customer.test", guardWith(PRODUCTION, v4("127.0.0.1"))));
    expect(loopback.message).toBe("relay.customer.test resolves to a non-public address");
  });

  it("refuses a name when any of its addresses is refused", async () => {
    const mixed: ResolvedAddress[] = [
      { address: "93.184.216.34", family: 4 },
      { address: "fd00::7", family: 6 },
    ];
    expect((await refusal(assertOutboundHostAllowed("mixed.test", guardWith(EMBEDDED, mixed)))).message).toBe("mixed.test resolves to a non-public address");
  });

  it.each([
    ["EAI_AGAIN", "EAI_AGAIN", true],
    ["ESERVFAIL", "EAI_AGAIN", true],
    ["ETIMEOUT", "EAI_AGAIN", true],
    ["ECONNREFUSED", "EAI_AGAIN", true],
    ["ENOTFOUND", "ENOTFOUND", false],
    ["ENODATA", "ENOTFOUND", false],
  ])("a DNS failure %s becomes %s (temporary: %s)", async (dnsCode, code, temporary) => {
    const error = await refusal(assertOutboundHostAllowed("flaky.test", guardWith(PRODUCTION, dnsCode)));
    expect(error.code).toBe(code);
    expect(error.temporary).toBe(temporary);
    expect(error.message).toContain(dnsCode);
  });

  it("a resolver that never answers is a temporary failure after 5 s, not a hang", async () => {
    vi.useFakeTimers();
    try {
      const guard: OutboundGuard = { policy: PRODUCTION, resolve: () => new Promise<never>(() => undefined), key: "hang" };
      const pending = refusal(assertOutboundHostAllowed("slow.test", guard));
      await vi.advanceTimersByTimeAsync(5_000);
      const error = await pending;
      expect(error.code).toBe("EAI_AGAIN");
      expect(error.message).toMatch(/ETIMEOUT/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("guardedLookup (what the sockets connect through)", () => {
  it("refuses at connect time a name that answered with a public address a moment before (DNS rebinding)", async () => {
    const guard = guardWith(PRODUCTION, v4("93.184.216.34"), v4("127.0.0.1"));
    // The check when the connection is used...
    await expect(assertOutboundHostAllowed("rebind.test", guard)).resolves.toEqual(v4("93.184.216.34"));
    // ...and the lookup of the socket itself, which is the one that decides.
    const atConnect = await lookupOnce(guard, "rebind.test", { all: true });
    expect(atConnect.error).toBeInstanceOf(OutboundAddressError);
    expect((atConnect.error as OutboundAddressError).code).toBe("EOUTBOUND");
    expect(atConnect.error?.message).toBe("rebind.test resolves to a non-public address");
    expect(guard.calls).toEqual(["rebind.test", "rebind.test"]);
  });

  it("answers in both of Node's shapes and honours the family", async () => {
    const answer: ResolvedAddress[] = [
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ];
    expect(await lookupOnce(guardWith(EMBEDDED, answer), "localhost", { all: true })).toEqual({ error: null, address: answer });
    expect(await lookupOnce(guardWith(EMBEDDED, answer), "localhost")).toEqual({ error: null, address: "127.0.0.1", family: 4 });
    expect(await lookupOnce(guardWith(EMBEDDED, answer), "localhost", { family: 6 })).toEqual({ error: null, address: "::1", family: 6 });
    const none = await lookupOnce(guardWith(EMBEDDED, v4("127.0.0.1")), "localhost", { family: 6 });
    expect((none.error as OutboundAddressError).code).toBe("ENOTFOUND");
  });

  it("passes a temporary DNS failure on with the code sockets report as not sent (EAI_AGAIN)", async () => {
    const result = await lookupOnce(guardWith(PRODUCTION, "ESERVFAIL"), "flaky.test", { all: true });
    expect(result.error?.code).toBe("EAI_AGAIN");
  });
});
