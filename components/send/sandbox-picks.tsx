"use client";
import type { SandboxAddress } from "./sandbox-addresses";

/** One click puts a reserved sandbox address into "To"; each plays the provider events it is named after. */
export function SandboxPicks({ addresses, onPick }: { addresses: SandboxAddress[]; onPick: (address: string) => void }) {
  return (
    <div role="group" aria-label="Sandbox addresses" className="flex flex-wrap items-center gap-1.5">
      <span className="text-xs text-slate-500">Sandbox scenarios:</span>
      {addresses.map(({ address, events }) => (
        <button
          key={address}
          type="button"
          onClick={() => onPick(address)}
          title={`${address}: ${events}`}
          aria-label={`Use ${address} (${events})`}
          className="rounded-full border border-slate-200 bg-white px-2 py-0.5 text-xs text-slate-700 hover:border-indigo-300 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {address.split("@")[0]}
        </button>
      ))}
    </div>
  );
}
