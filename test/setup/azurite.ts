/** Placeholder until the store lands: starts Azurite for the tests that need Table Storage. */
export async function setupAzurite(): Promise<() => Promise<void>> {
  return async () => {};
}
