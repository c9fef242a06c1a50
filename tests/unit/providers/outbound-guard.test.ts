import { describe, expect, it } from "vitest";
import { assertOutboundHostAllowed, assertOutboundUrlAllowed, nonPublicRange, OutboundAddressError } from "@/server/lib/outbound-guard";

const DENY = { allowPrivate: false };

async function refusal(promise: Promise<void>): Promise<OutboundAddressError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof OutboundAddressError)) throw new Error(`expected OutboundAddressError, got ${String(error)}`);
  return error;
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
  ])("%s is %s", (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])(
    "%s is public",
    (address) => {
      expect(nonPublicRange(address)).toBeUndefined();
    },
  );
});

describe("assertOutboundUrlAllowed", () => {
  it("allows public literal addresses over http and https", async () => {
    await expect(assertOutboundUrlAllowed("https://93.184.216.34/v3", DENY)).resolves.toBeUndefined();
    await expect(assertOutboundUrlAllowed("http://[2606:4700:4700::1111]:8080/x", DENY)).resolves.toBeUndefined();
  });

  it("refuses other schemes even when private addresses are allowed", async () => {
    const error = await refusal(assertOutboundUrlAllowed("file:///etc/passwd", { allowPrivate: true }));
    expect(error.code).toBe("scheme");
    expect(error.message).toMatch(/Only http and https/);
    expect((await refusal(assertOutboundUrlAllowed("gopher://example.com/", { allowPrivate: true }))).code).toBe("scheme");
  });

  it("refuses what is not a URL", async () => {
    expect((await refusal(assertOutboundUrlAllowed("not a url", DENY))).code).toBe("invalid_url");
  });

  it("refuses loopback names after resolving them", async () => {
    const error = await refusal(assertOutboundUrlAllowed("http://localhost:3000/ses", DENY));
    expect(error.code).toBe("private_address");
    expect(error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)/);
  });

  it("refuses the cloud metadata address and IPv4-mapped loopback in brackets", async () => {
    expect((await refusal(assertOutboundUrlAllowed("http://169.254.169.254/latest/meta-data", DENY))).message).toMatch(/link-local/);
    expect((await refusal(assertOutboundUrlAllowed("http://[::ffff:127.0.0.1]/", DENY))).message).toMatch(/IPv4-mapped loopback/);
  });

  it("lets private addresses through when the policy allows them", async () => {
    await expect(assertOutboundUrlAllowed("http://127.0.0.1:4010/sendgrid", { allowPrivate: true })).resolves.toBeUndefined();
  });

  it("reports names that do not resolve", async () => {
    const error = await refusal(assertOutboundUrlAllowed("https://no-such-host.invalid/", DENY));
    expect(error.code).toBe("unresolvable");
  });
});

describe("assertOutboundHostAllowed", () => {
  it("checks SMTP hosts the same way", async () => {
    expect((await refusal(assertOutboundHostAllowed("10.0.0.5", DENY))).code).toBe("private_address");
    expect((await refusal(assertOutboundHostAllowed("[::1]", DENY))).code).toBe("private_address");
    expect((await refusal(assertOutboundHostAllowed("", { allowPrivate: true }))).code).toBe("invalid_url");
    await expect(assertOutboundHostAllowed("192.168.0.10", { allowPrivate: true })).resolves.toBeUndefined();
    await expect(assertOutboundHostAllowed("8.8.4.4", DENY)).resolves.toBeUndefined();
  });
});
