export { mailgunAdapter } from "./adapter";
