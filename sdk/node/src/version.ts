/** Sent as the User-Agent (courierx-node/<version>); kept in step with package.json. */
export const SDK_VERSION = "0.1.0";
