/** Queue names: what the Functions triggers listen on and what the app sends to. */

/** One message per tenant to check (scheduleChecks, the API's check-now → checkTenant). */
export const TENANT_CHECKS_QUEUE = "tenant-checks";
/** One message per outbox row written (checkTenant → deliverAlerts). */
export const ALERTS_QUEUE = "alerts";

/** Where the host moves a message after maxDequeueCount failed attempts. */
export const poisonQueueName = (queue: string): string => `${queue}-poison`;

/** Storage queue names: 3-63 lower-case letters, digits and single dashes, not at either end. */
export const QUEUE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

export interface QueueNames {
  readonly tenantChecks: string;
  readonly alerts: string;
}

export const DEFAULT_QUEUE_NAMES: QueueNames = { tenantChecks: TENANT_CHECKS_QUEUE, alerts: ALERTS_QUEUE };
