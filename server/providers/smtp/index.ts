export { smtpAdapter } from "./adapter";
export { closeAllTransports } from "./transports";
