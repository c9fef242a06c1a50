export { awsSesAdapter } from "./adapter";
