"use client";
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ProviderShare {
  label: string;
  sent: number;
  failed: number;
  /** "12 · 40%": the provider's sent count and its share of everything sent. */
  summary: string;
}

const ROW_HEIGHT = 52;

/** Per provider a bar of what it sent (labelled with its share of all sent) and one of what it refused. Props only. */
export function ProviderShareChart({ data }: { data: ProviderShare[] }) {
  const rows = data.map((row) => ({ ...row, failedLabel: row.failed > 0 ? String(row.failed) : "" }));
  return (
    <ResponsiveContainer width="100%" height={rows.length * ROW_HEIGHT + 56}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 80, bottom: 0, left: 0 }} barCategoryGap={8} barGap={2}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} />
        <YAxis type="category" dataKey="label" width={96} tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} />
        <Tooltip cursor={{ fill: "#f1f5f9" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconSize={10} itemSorter={null} />
        <Bar dataKey="sent" name="Sent" fill="#6366f1" maxBarSize={16} minPointSize={2} isAnimationActive={false}>
          <LabelList dataKey="summary" position="right" style={{ fontSize: 12, fill: "#334155" }} />
        </Bar>
        <Bar dataKey="failed" name="Failed" fill="#ef4444" maxBarSize={16} isAnimationActive={false}>
          <LabelList dataKey="failedLabel" position="right" style={{ fontSize: 12, fill: "#b91c1c" }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
