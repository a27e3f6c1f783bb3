// index.mjs — every action of the service model, by name.
import { machineOperations } from "./machines.mjs";
import { executionOperations } from "./executions.mjs";
import { taskOperations } from "./tasks.mjs";
import { tagOperations } from "./tags.mjs";
import { versionOperations } from "./versions.mjs";
import { mapRunOperations } from "./mapRuns.mjs";

export const transactionalOperations = {
  ...machineOperations,
  ...executionOperations,
  ...taskOperations,
  ...tagOperations,
  ...versionOperations,
  ...mapRunOperations,
};
