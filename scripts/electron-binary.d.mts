/** Where the Electron binary is, or why there is none. */
export function electronBinary(opts?: { ensure?: boolean }): { path?: string; reason?: string };
