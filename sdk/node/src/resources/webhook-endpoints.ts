import type { HttpClient } from "../http.js";
import { paginate, type Page, type PageParams } from "../pagination.js";
import type { CreatedWebhookEndpoint, OutgoingEventType, RotatedWebhookSecret, WebhookDelivery, WebhookEndpoint } from "../types.js";
import { at, Resource } from "./resource.js";

export interface WebhookEndpointFields {
  url?: string;
  description?: string | null;
  /** Empty: every event type. */
  events?: OutgoingEventType[];
  /** Re-activating clears `disabled_reason`. */
  active?: boolean;
}

export interface ListDeliveriesParams extends PageParams {
  status?: "pending" | "succeeded" | "failed";
}

export class WebhookEndpoints extends Resource<WebhookEndpoint> {
  constructor(http: HttpClient) {
    super(http, "/webhook_endpoints");
  }

  /** POST /webhook_endpoints: the answer's `secret` (whsec_…) is shown once; keep it for `webhooks.verify`. */
  create(params: Omit<WebhookEndpointFields, "active"> & { url: string }): Promise<CreatedWebhookEndpoint> {
    return this.call<CreatedWebhookEndpoint>("POST", "", params);
  }

  get(id: string): Promise<WebhookEndpoint> {
    return this.call<WebhookEndpoint>("GET", at(id));
  }

  update(id: string, params: WebhookEndpointFields): Promise<WebhookEndpoint> {
    return this.call<WebhookEndpoint>("PATCH", at(id), params);
  }

  /** DELETE /webhook_endpoints/:id: the endpoint and its deliveries. */
  delete(id: string): Promise<void> {
    return this.remove(id);
  }

  /** POST /webhook_endpoints/:id/rotate_secret: for 24 h deliveries are signed with the new and the previous secret. */
  rotateSecret(id: string): Promise<RotatedWebhookSecret> {
    return this.call<RotatedWebhookSecret>("POST", at(id, "rotate_secret"));
  }

  /** GET /webhook_endpoints/:id/deliveries: newest first, each with its attempts. */
  listDeliveries(id: string, params: ListDeliveriesParams = {}): Promise<Page<WebhookDelivery>> {
    return this.page<WebhookDelivery>({ ...params }, at(id, "deliveries"));
  }

  listAllDeliveries(id: string, params: ListDeliveriesParams = {}): AsyncGenerator<WebhookDelivery, void, undefined> {
    return paginate((page) => this.listDeliveries(id, { ...params, page }), params.page);
  }

  /** POST …/deliveries/:deliveryId/replay: sends it again as a new delivery with the same webhook-id. */
  replay(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.call<WebhookDelivery>("POST", at(id, "deliveries", deliveryId, "replay"));
  }

  /** POST /webhook_endpoints/:id/test: delivers a sample event marked `test: true`. */
  test(id: string): Promise<WebhookDelivery> {
    return this.call<WebhookDelivery>("POST", at(id, "test"));
  }
}
