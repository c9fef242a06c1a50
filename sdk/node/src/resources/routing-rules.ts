import { snakeKeys } from "../case.js";
import type { HttpClient } from "../http.js";
import type { RoutingRule, RoutingStrategy } from "../types.js";
import { at, Resource } from "./resource.js";

export interface RoutingRuleFields {
  name?: string;
  /** Matches when the sender's domain is listed, or the email carries one of the tags. Empty: every email. */
  conditions?: { fromDomains?: string[]; tags?: string[] };
  strategy?: RoutingStrategy;
  /** The connections this rule sends through, in order. */
  providers?: { connectionId: string; weight?: number }[];
  enabled?: boolean;
  /** Evaluation order (lowest first). */
  position?: number;
}

export interface CreateRoutingRuleParams extends RoutingRuleFields {
  name: string;
  providers: { connectionId: string; weight?: number }[];
}

export class RoutingRules extends Resource<RoutingRule> {
  constructor(http: HttpClient) {
    super(http, "/routing_rules");
  }

  create(params: CreateRoutingRuleParams): Promise<RoutingRule> {
    return this.call<RoutingRule>("POST", "", snakeKeys(params));
  }

  get(id: string): Promise<RoutingRule> {
    return this.call<RoutingRule>("GET", at(id));
  }

  /** PATCH /routing_rules/:id: `providers`, when given, replaces the list. */
  update(id: string, params: RoutingRuleFields): Promise<RoutingRule> {
    return this.call<RoutingRule>("PATCH", at(id), snakeKeys(params));
  }

  delete(id: string): Promise<void> {
    return this.remove(id);
  }
}
