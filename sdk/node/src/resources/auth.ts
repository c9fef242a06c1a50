import type { HttpClient } from "../http.js";
import type { Me, Session } from "../types.js";

export interface RegisterParams {
  /** The account's name. */
  name: string;
  email: string;
  password: string;
  /** Defaults to `password`. */
  passwordConfirmation?: string;
}

/** Accounts and sessions. register and login need no API key; their `token` works as one (24 h). */
export class Auth {
  constructor(private readonly http: HttpClient) {}

  /** POST /auth/register: a new account with you as its owner. */
  async register(params: RegisterParams): Promise<Session> {
    const body = { name: params.name, email: params.email, password: params.password, password_confirmation: params.passwordConfirmation ?? params.password };
    return (await this.http.request<Session>({ method: "POST", path: "/auth/register", body })).data;
  }

  /** POST /auth/login: a session token (JWT, 24 h). */
  async login(params: { email: string; password: string }): Promise<Session> {
    return (await this.http.request<Session>({ method: "POST", path: "/auth/login", body: params })).data;
  }

  /** GET /auth/me: the account (and user, for a session token) behind the client's key. */
  async me(): Promise<Me> {
    return (await this.http.request<Me>({ method: "GET", path: "/auth/me" })).data;
  }
}
