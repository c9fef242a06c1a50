import { paginationQuery } from "../../lib/pagination";
import { createApiKeyInput } from "../../services/api-keys/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { apiKeyResponse, createdApiKeyResponse } from "../responses/api-keys";

export const apiKeyOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/api_keys",
    operationId: "createApiKey",
    tag: "API keys",
    summary: "Create an API key",
    description: "The raw key (`raw_key`) is in this answer only: only its SHA-256 is stored. `mode: test` makes a sandbox key (`cxk_test_…`).",
    body: { schema: createApiKeyInput, example: { name: "My first key" } },
    success: { status: 201, description: "The new key, with its raw value.", schema: createdApiKeyResponse },
  },
  {
    method: "get",
    path: "/api_keys",
    operationId: "listApiKeys",
    tag: "API keys",
    summary: "List API keys",
    description: "Newest first, prefix only.",
    query: paginationQuery,
    success: pageOf(apiKeyResponse, "keys"),
  },
  {
    method: "post",
    path: "/api_keys/{id}/revoke",
    operationId: "revokeApiKey",
    tag: "API keys",
    summary: "Revoke an API key",
    description: "Refused from the next request on; the key stays listed as revoked.",
    success: { status: 200, description: "The revoked key.", schema: apiKeyResponse },
  },
  {
    method: "delete",
    path: "/api_keys/{id}",
    operationId: "deleteApiKey",
    tag: "API keys",
    summary: "Delete an API key",
    success: { status: 204, description: "Deleted." },
  },
];
