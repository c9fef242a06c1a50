import { loginInput, registerInput } from "../../services/accounts/schemas";
import type { OperationEntry } from "../operation";
import { accountResponse, sessionResponse } from "../responses/accounts";

const PUBLIC_LIMIT = "No credential; limited to 30 requests a minute per client address (the `X-RateLimit-*` headers count them).";

export const authOperations: OperationEntry[] = [
  {
    method: "post",
    path: "/auth/register",
    operationId: "register",
    tag: "Authentication",
    summary: "Create an account",
    description: `Creates an account and its owner, and returns a session JWT (24 hours) to create API keys with. ${PUBLIC_LIMIT}`,
    auth: "public",
    body: { schema: registerInput, example: { name: "My App", email: "you@example.com", password: "your-password", password_confirmation: "your-password" } },
    success: { status: 201, description: "The account, its owner and a session token.", schema: sessionResponse },
  },
  {
    method: "post",
    path: "/auth/login",
    operationId: "logIn",
    tag: "Authentication",
    summary: "Log in",
    description: `Exchanges email and password for a session JWT (24 hours). After 10 failures in 15 minutes an account refuses even the right password for a while. ${PUBLIC_LIMIT}`,
    auth: "public",
    body: { schema: loginInput, example: { email: "you@example.com", password: "your-password" } },
    success: { status: 200, description: "A session token.", schema: sessionResponse },
  },
  {
    method: "get",
    path: "/auth/me",
    operationId: "getAccount",
    tag: "Authentication",
    summary: "Get your account",
    description: "The account behind the credential, the user for a session token, and what authenticated the request.",
    success: { status: 200, description: "The account.", schema: accountResponse },
  },
];
