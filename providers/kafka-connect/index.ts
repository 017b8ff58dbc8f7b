export * from "./types";
export * from "./redact";
export * from "./rest-client";
export * from "./wait-running";
export * from "./diff";
export * from "./check";
export * from "./provider";
export * from "./connector";
