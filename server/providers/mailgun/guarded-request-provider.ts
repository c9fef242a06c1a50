import axios, { type AxiosResponse } from "axios";
import type { APIResponse, Interfaces, onCallReqConfig, RequestProviderData } from "mailgun.js/definitions";
import type { GuardedAgents } from "../shared/outbound";

type RequestProvider = Interfaces.IRequestProvider;

/**
 * mailgun.js bundles its own axios and passes it no agent, so its sockets could not be guarded and its
 * redirects were followed. The SDK routes every call through one replaceable `IRequestProvider` (public
 * on `client.request.requestProvider`); this one makes the same requests (Basic auth, the same content
 * types, the same response and error shapes the SDK documents) with agents whose lookup is the outbound
 * guard, no redirects and no proxy from the environment.
 */
export class GuardedMailgunRequestProvider implements RequestProvider {
  private subaccount: string | undefined;

  constructor(
    private readonly options: { key: string; timeoutMs: number; agents: GuardedAgents },
  ) {}

  setSubAccountHeader(subAccountId: string): void {
    this.subaccount = subAccountId;
  }

  resetSubAccountHeader(): void {
    this.subaccount = undefined;
  }

  async makeRequest(url: string, method: string, data: RequestProviderData, config?: onCallReqConfig): Promise<APIResponse> {
    let response: AxiosResponse;
    try {
      response = await axios.request({
        url,
        method: method.toUpperCase(),
        ...(data.params ? { params: data.params } : {}),
        ...(data.data !== undefined ? { data: data.data } : {}),
        headers: this.headers(config),
        timeout: this.options.timeoutMs,
        ...this.options.agents,
        maxRedirects: 0,
        proxy: false,
      });
    } catch (error) {
      throw mailgunApiError(error);
    }
    return responseBody(response);
  }

  private headers(config: onCallReqConfig | undefined): Record<string, string> {
    const headers: Record<string, string> = { Authorization: `Basic ${Buffer.from(`api:${this.options.key}`).toString("base64")}` };
    if (this.subaccount) headers["X-Mailgun-On-Behalf-Of"] = this.subaccount;
    // The SDK's own defaults: form-urlencoded unless the call says otherwise (axios adds a form's boundary).
    if (config?.isFormURLEncoded ?? true) headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (config?.isMultipartFormData) headers["Content-Type"] = "multipart/form-data";
    if (config?.isApplicationJSON) headers["Content-Type"] = "application/json";
    return headers;
  }
}

/** The SDK's APIError shape: `status`, `message`, `details`, `type: "MailgunAPIError"`, which the classifier reads. */
export class MailgunApiError extends Error {
  readonly type = "MailgunAPIError";

  constructor(
    readonly status: number,
    message: string,
    readonly details: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "MailgunAPIError";
  }
}

function responseBody(response: AxiosResponse): APIResponse {
  if (typeof response.data === "string") {
    if (response.data === "Mailgun Magnificent API") throw new MailgunApiError(400, "Incorrect url", response.data);
    return { status: response.status, body: { message: response.data } };
  }
  return { status: response.status, body: response.data };
}

/** As the SDK does it: transport failures become status 400 with the network code as the message. */
function mailgunApiError(error: unknown): MailgunApiError {
  const record = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; message?: unknown; response?: AxiosResponse };
  const code = typeof record.code === "string" ? record.code : undefined;
  const response = record.response;
  const body: unknown = response?.data ?? (typeof record.message === "string" ? record.message : "");
  let details = "";
  let errorText = "";
  if (typeof body === "string") details = body;
  else if (typeof body === "object" && body !== null) {
    const fields = body as { message?: unknown; error?: unknown };
    details = typeof fields.message === "string" ? fields.message : "";
    errorText = typeof fields.error === "string" ? fields.error : "";
  }
  const message = errorText || response?.statusText || code || "";
  // Only a transport failure has a code worth keeping (axios also labels HTTP errors ERR_BAD_RESPONSE).
  return new MailgunApiError(response?.status ?? 400, message, details, response ? undefined : code);
}
