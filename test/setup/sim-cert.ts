/** Placeholder until the simulator lands: makes the certificate every test's simulator serves. */
export async function setupSimCertificate(): Promise<() => Promise<void>> {
  return async () => {};
}
