import { paginationQuery } from "../../lib/pagination";
import { createSuppressionInput, listSuppressionsQuery } from "../../services/suppressions/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { suppressionResponse } from "../responses/suppressions";

export const suppressionOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/suppressions",
    operationId: "createSuppression",
    tag: "Suppressions",
    summary: "Add a suppression",
    description: "Emails to a suppressed address end `suppressed` before any provider is contacted. Hard bounces, complaints and unsubscribes add suppressions on their own.",
    body: { schema: createSuppressionInput, example: { email: "bad-address@example.com", reason: "manual", note: "Customer requested removal" } },
    success: { status: 201, description: "Added.", schema: suppressionResponse },
    extraResponses: { 200: { description: "The address was already suppressed: its entry, updated.", content: { "application/json": { schema: suppressionResponse } } } },
  },
  {
    method: "get",
    path: "/suppressions",
    operationId: "listSuppressions",
    tag: "Suppressions",
    summary: "List suppressions",
    description: "Newest first. Filters: `reason`, `email` (partial match).",
    query: paginationQuery.extend(listSuppressionsQuery.shape),
    success: pageOf(suppressionResponse, "suppressions"),
  },
  {
    method: "delete",
    path: "/suppressions/{id}",
    operationId: "deleteSuppression",
    tag: "Suppressions",
    summary: "Remove a suppression",
    description: "Allows sending to the address again.",
    success: { status: 204, description: "Removed." },
  },
];
