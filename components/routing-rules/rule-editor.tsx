"use client";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/trpc/client";
import { useCanManage } from "../account/use-account";
import { PageHeader } from "../common/page-header";
import { Badge } from "../ui/badge";
import { Card, CardBody } from "../ui/card";
import { DeleteRuleButton } from "./delete-rule-button";
import { conditionsSummary, STRATEGIES, strategyLabel, type Strategy } from "./rule-copy";
import { RuleForm } from "./rule-form";
import type { RuleView } from "./types";

/** What a member sees: the rule in words, no controls. */
function RuleSummary({ rule }: { rule: RuleView }) {
  return (
    <Card>
      <CardBody>
        <dl className="grid gap-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs font-medium text-slate-500">Matches</dt>
            <dd className="mt-0.5 text-slate-800">{conditionsSummary(rule.conditions)}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Strategy</dt>
            <dd className="mt-0.5 text-slate-800">
              {strategyLabel(rule.strategy)}: {STRATEGIES[rule.strategy as Strategy]?.help}
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-xs font-medium text-slate-500">Connections, in order</dt>
            <dd className="mt-0.5 text-slate-800">
              <ol className="list-decimal pl-5">
                {rule.providers.map((t) => (
                  <li key={t.connection_id}>
                    {t.display_name}
                    {rule.strategy === "weighted" && ` (weight ${t.weight})`}
                    {!t.enabled && " (disabled)"}
                  </li>
                ))}
              </ol>
            </dd>
          </div>
        </dl>
      </CardBody>
    </Card>
  );
}

function EditRule({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const canManage = useCanManage();
  const { data: rule } = useSuspenseQuery(trpc.routingRules.get.queryOptions({ id }));
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {rule.name}
            {!rule.enabled && <Badge tone="gray">Off</Badge>}
          </span>
        }
        description={`Checked at order ${rule.position}. ${conditionsSummary(rule.conditions)} → ${strategyLabel(rule.strategy).toLowerCase()} over ${rule.providers.length} connection${rule.providers.length === 1 ? "" : "s"}.`}
        actions={canManage ? <DeleteRuleButton rule={rule} onDeleted={() => router.push("/routing-rules")} /> : undefined}
      />
      {canManage ? <RuleForm rule={rule} /> : <RuleSummary rule={rule} />}
    </>
  );
}

/** The create form (no id) or one rule's edit form; members get the rule in words. */
export function RuleEditor({ id }: { id?: string }) {
  const canManage = useCanManage();
  if (id) return <EditRule id={id} />;
  return canManage ? <RuleForm /> : null;
}
