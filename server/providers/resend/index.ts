export { resendAdapter } from "./adapter";
