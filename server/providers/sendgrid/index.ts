export { sendgridAdapter } from "./adapter";
