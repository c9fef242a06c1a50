"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface VolumeDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  sent: number;
  failed: number;
  suppressed: number;
  delivered: number;
  bounced: number;
}

/** Bars: what happened to each email when it was sent (stacked); lines: what providers reported back. */
export const VOLUME_SERIES = {
  sent: { label: "Sent", color: "#6366f1" },
  failed: { label: "Failed", color: "#ef4444" },
  suppressed: { label: "Suppressed", color: "#f59e0b" },
  delivered: { label: "Delivered", color: "#059669" },
  bounced: { label: "Bounced", color: "#9333ea" },
} as const;

const dayFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

export function formatDay(date: string): string {
  return dayFormat.format(new Date(`${date}T00:00:00Z`));
}

/** Emails per UTC day by outcome: sent, failed and suppressed stacked, delivered and bounced as lines. Props only. */
export function VolumeChart({ data, height = 280 }: { data: VolumeDay[]; height?: number }) {
  const bars = ["sent", "failed", "suppressed"] as const;
  const lines = ["delivered", "bounced"] as const;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="date" tickFormatter={formatDay} tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} minTickGap={16} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} axisLine={false} width={48} />
        <Tooltip labelFormatter={(date) => formatDay(String(date))} cursor={{ fill: "#f1f5f9" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconSize={10} itemSorter={null} />
        {bars.map((key) => (
          <Bar key={key} dataKey={key} name={VOLUME_SERIES[key].label} stackId="outcome" fill={VOLUME_SERIES[key].color} maxBarSize={28} isAnimationActive={false} />
        ))}
        {lines.map((key) => (
          <Line key={key} dataKey={key} name={VOLUME_SERIES[key].label} type="monotone" stroke={VOLUME_SERIES[key].color} strokeWidth={2} dot={data.length <= 14 ? { r: 2.5 } : false} isAnimationActive={false} />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
