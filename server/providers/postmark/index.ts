export { postmarkAdapter } from "./adapter";
