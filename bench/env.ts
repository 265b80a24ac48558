/** The app settings a benchmark run gives the product: what a deployment's app settings hold, pointed at the simulator and Azurite. */
export function benchEnv(simUrl: string, storageConnectionString: string, registrationReportHours: number): Record<string, string> {
  return {
    GRAPH_ENDPOINT: simUrl,
    AZURE_AUTHORITY_HOST: simUrl,
    AZURE_CLIENT_ID: "00000000-0000-0000-0000-00000000bec0",
    AZURE_CLIENT_SECRET: "bench-secret",
    REGISTRATION_REPORT_HOURS: String(registrationReportHours),
    AzureWebJobsStorage: storageConnectionString,
  };
}
