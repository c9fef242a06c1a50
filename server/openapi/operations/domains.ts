import { paginationQuery } from "../../lib/pagination";
import { createDomainInput } from "../../services/domains/schemas";
import { pageOf, type OperationEntry } from "../operation";
import { domainResponse } from "../responses/domains";

export const domainOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/domains",
    operationId: "createDomain",
    tag: "Domains",
    summary: "Register a sending domain",
    description: "Pending until its TXT record is verified: publish `dns_record` (`_courierx.<domain>` TXT `<verification_token>`), then call verify.",
    body: { schema: createDomainInput, example: { domain: "mail.yourapp.com" } },
    success: { status: 201, description: "The domain and the record to publish.", schema: domainResponse },
  },
  {
    method: "get",
    path: "/domains",
    operationId: "listDomains",
    tag: "Domains",
    summary: "List domains",
    description: "Newest first, with their verification status.",
    query: paginationQuery,
    success: pageOf(domainResponse, "domains"),
  },
  {
    method: "get",
    path: "/domains/{id}",
    operationId: "getDomain",
    tag: "Domains",
    summary: "Get a domain",
    description: "With the last verification's findings.",
    success: { status: 200, description: "The domain.", schema: domainResponse },
  },
  {
    method: "post",
    path: "/domains/{id}/verify",
    operationId: "verifyDomain",
    tag: "Domains",
    summary: "Verify a domain via DNS",
    description: "Looks up the TXT record at `_courierx.<domain>`; once it is found, also SPF (per enabled provider), DMARC and DKIM, reported as findings.",
    success: { status: 200, description: "The domain with this check's findings (`status` verified or failed).", schema: domainResponse },
  },
  {
    method: "delete",
    path: "/domains/{id}",
    operationId: "deleteDomain",
    tag: "Domains",
    summary: "Remove a domain",
    success: { status: 204, description: "Removed." },
  },
];
