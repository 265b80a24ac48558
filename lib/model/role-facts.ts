/**
 * The account's directory roles as Graph's role management lists them. Types only, re-exported by
 * model/facts.ts (a leaf module: nothing here may import a value).
 */

/** A unifiedRoleAssignment or a roleEligibilityScheduleInstance. */
export interface RoleAssignmentFact {
  readonly id: string;
  readonly roleDefinitionId: string;
  readonly principalId: string;
  readonly directoryScopeId: string | null;
}

/**
 * A unifiedRoleAssignmentScheduleInstance: one active role assignment as PIM schedules it
 * (learn.microsoft.com/graph/api/resources/unifiedroleassignmentscheduleinstance). Unlike a
 * unifiedRoleAssignment it says whether the assignment ends and whether it is an activation.
 */
export interface RoleAssignmentInstanceFact extends RoleAssignmentFact {
  /** `Assigned` (an active assignment) or `Activated` (an eligibility activated, which always ends); null when Graph omits it. */
  readonly assignmentType: "Assigned" | "Activated" | (string & {}) | null;
  /** `Direct`, `Group` (through a role-assignable group) or `Inherited`; null when Graph omits it. */
  readonly memberType: "Direct" | "Group" | "Inherited" | (string & {}) | null;
  readonly startDateTime: string | null;
  /** When the assignment ends (ISO); null: permanent. */
  readonly endDateTime: string | null;
}
