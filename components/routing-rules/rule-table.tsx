"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { DataTable, type Column } from "../common/data-table";
import { EmptyState } from "../common/empty-state";
import { Pagination } from "../common/pagination";
import { Badge } from "../ui/badge";
import { buttonClasses } from "../ui/button";
import { DeleteRuleButton } from "./delete-rule-button";
import { conditionsSummary, strategyLabel } from "./rule-copy";
import { ruleListInput, ruleListParams } from "./search-params";
import type { RuleView } from "./types";

function Targets({ rule }: { rule: RuleView }) {
  if (rule.providers.length === 0) return <span className="text-slate-400">None left</span>;
  return (
    <ol className="space-y-0.5">
      {rule.providers.map((t, i) => (
        <li key={t.connection_id} className="whitespace-nowrap">
          <span className="mr-1 text-xs text-slate-400 tabular-nums">{i + 1}.</span>
          <Link href={`/providers/${t.connection_id}`} className="hover:underline">
            {t.display_name}
          </Link>
          {rule.strategy === "weighted" && <span className="ml-1 text-xs text-slate-500">weight {t.weight}</span>}
          {!t.enabled && <span className="ml-1 text-xs text-amber-700">(disabled)</span>}
        </li>
      ))}
    </ol>
  );
}

function columns(canManage: boolean): Column<RuleView>[] {
  return [
    { header: "Order", cell: (r) => <span className="tabular-nums">{r.position}</span>, className: "w-16 text-right" },
    {
      header: "Rule",
      cell: (r) => (
        <div className="min-w-40">
          <Link href={`/routing-rules/${r.id}`} className="font-medium text-indigo-700 hover:underline">
            {r.name}
          </Link>
          {!r.enabled && (
            <Badge tone="gray" className="ml-2">
              Off
            </Badge>
          )}
        </div>
      ),
    },
    { header: "Matches", cell: (r) => <span className="block max-w-72 whitespace-normal">{conditionsSummary(r.conditions)}</span> },
    { header: "Strategy", cell: (r) => strategyLabel(r.strategy) },
    { header: "Connections", cell: (r) => <Targets rule={r} /> },
    ...(canManage ? [{ header: <span className="sr-only">Actions</span>, cell: (r: RuleView) => <DeleteRuleButton rule={r} size="sm" />, className: "text-right" }] : []),
  ];
}

export function CreateRuleLink() {
  if (!useCanManage()) return null;
  return (
    <Link href="/routing-rules/new" className={buttonClasses()}>
      Create a rule
    </Link>
  );
}

/** Rules in evaluation order: the first enabled rule whose conditions match an email decides its route. */
export function RuleTable() {
  const trpc = useTRPC();
  const [{ page }, setParams] = useQueryStates(ruleListParams);
  const input = ruleListInput({ page });
  const { data } = useSuspenseQuery(trpc.routingRules.list.queryOptions(input));
  const canManage = useCanManage();
  if (data.total === 0) {
    return (
      <EmptyState
        title="No routing rules: every email uses the default route"
        description="Without a rule, each email tries all your enabled provider connections by priority, lowest number first, and fails over down the list. Create a rule to send some emails (by sender domain or tag) through chosen connections, weighted or in turn."
        action={
          <>
            {canManage && <CreateRuleLink />}
            <Link href="/providers" className={buttonClasses("secondary")}>
              See the priorities
            </Link>
          </>
        }
      />
    );
  }
  return (
    <>
      <DataTable rows={data.items} columns={columns(canManage)} rowKey={(r) => r.id} caption="Routing rules, in the order they are checked" />
      <Pagination page={input.page} perPage={input.per_page} total={data.total} onPageChange={(next) => void setParams({ page: next })} />
    </>
  );
}
