/** The store the storage commands work on: Table Storage from AzureWebJobsStorage (Azurite locally). */
import { loadStoreSettings, type StoreSettings } from "../lib/config/settings.js";
import { createStore, type Store } from "../lib/store/index.js";
import { DEFAULT_PROFILE_NAME } from "../lib/checks/profiles.js";
import type { CliIo } from "./io.js";

export function openStore(io: CliIo): { store: Store; settings: StoreSettings } {
  const settings = loadStoreSettings(io.env);
  return { store: createStore(settings.storage), settings };
}

/**
 * DEFAULT_PROFILE for tenants registered without one. Read here rather than through loadSettings,
 * which would insist on a Graph credential that registering a tenant does not need.
 */
export function defaultProfile(io: CliIo): string {
  return io.env.DEFAULT_PROFILE?.trim() || DEFAULT_PROFILE_NAME;
}
