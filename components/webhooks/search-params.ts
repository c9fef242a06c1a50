import { createLoader, parseAsInteger, parseAsStringLiteral } from "nuqs/server";
import { listWebhookDeliveriesQuery } from "@/server/services/webhooks/schemas";

/** The delivery statuses the deliveries list filters by (the service's own list). */
export const DELIVERY_STATUSES = listWebhookDeliveriesQuery.shape.status.unwrap().options;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const PER_PAGE = 25;

/** /webhooks?page=2, read the same way by the page (server) and the table (client). */
export const endpointSearchParams = {
  page: parseAsInteger.withDefault(1),
};
export const loadEndpointSearchParams = createLoader(endpointSearchParams);

export function endpointListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: PER_PAGE };
}

/** /webhooks/:id?status=failed&page=2: the delivery log's filter and page. */
export const deliverySearchParams = {
  status: parseAsStringLiteral(DELIVERY_STATUSES),
  page: parseAsInteger.withDefault(1),
};
export const loadDeliverySearchParams = createLoader(deliverySearchParams);

export function deliveryListInput(id: string, { status, page }: { status: DeliveryStatus | null; page: number }) {
  return { id, page: Math.max(1, page), per_page: PER_PAGE, ...(status ? { status } : {}) };
}
