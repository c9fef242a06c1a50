import type { Metadata } from "next";
import { AccountSettings } from "@/components/members/account-settings";

export const metadata: Metadata = { title: "Settings · CourierX" };

// The account and the user are prefetched by the dashboard layout.
export default function SettingsPage() {
  return <AccountSettings />;
}
