import type { HttpClient } from "../http.js";
import type { Domain } from "../types.js";
import { at, Resource } from "./resource.js";

export class Domains extends Resource<Domain> {
  constructor(http: HttpClient) {
    super(http, "/domains");
  }

  /** POST /domains: pending until its TXT record (`dns_record`) is published and verified. */
  create(params: { domain: string }): Promise<Domain> {
    return this.call<Domain>("POST", "", params);
  }

  get(id: string): Promise<Domain> {
    return this.call<Domain>("GET", at(id));
  }

  /** POST /domains/:id/verify: looks up the TXT record now; the answer carries what DNS returned. */
  verify(id: string): Promise<Domain> {
    return this.call<Domain>("POST", at(id, "verify"));
  }

  delete(id: string): Promise<void> {
    return this.remove(id);
  }
}
