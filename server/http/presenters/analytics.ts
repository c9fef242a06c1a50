import type { Metrics } from "../../services/analytics/get-metrics";
import type { Usage } from "../../services/analytics/get-usage";

/** The shape: {period, from, to, totals, rates, daily}, plus which mode's emails were counted. */
export function presentMetrics(m: Metrics) {
  return { period: m.period, test: m.test, from: m.from, to: m.to, totals: m.totals, rates: m.rates, daily: m.daily };
}

/** {from, to, days: [{date, provider, sent, failed, delivered, bounced}]}, plus the mode. */
export function presentUsage(u: Usage) {
  return { from: u.from, to: u.to, test: u.test, days: u.days };
}
