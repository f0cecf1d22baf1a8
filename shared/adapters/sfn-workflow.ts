// Step Functions adapter of the workflow ports: starts the filing workflow (the execution
// name is the filing id, `<filingId>-r<n>` for a restart by staff, so a repeated start is
// harmless: the outbox delivers at least once) and answers waiting tasks (a repeated answer
// to a wait that is over is harmless too). The
// task token is read from the filing's task item and never leaves the backend.
import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { initialState } from '#workflows/filing-state.ts';
import type { ReviewStore } from '../ports/reviews.ts';
import type { FilingWorkflow, TaskCallbacks } from '../ports/workflow.ts';

export function sfnTaskCallbacks(sfn: SFNClient): TaskCallbacks {
  return {
    async succeed(taskToken, output) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    },
    async fail(taskToken, error, cause) {
      await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    },
  };
}

export function sfnFilingWorkflow(
  sfn: SFNClient,
  stateMachineArn: string,
  reviews: ReviewStore,
): FilingWorkflow {
  const tasks = sfnTaskCallbacks(sfn);
  return {
    async filingSubmitted({ filingId, programId }) {
      try {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: filingId,
            input: JSON.stringify(initialState(filingId, programId)),
          }),
        );
      } catch (error) {
        // Started before (a retried submission): the same execution goes on.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    async filingAmended(filingId) {
      const task = await reviews.getTask(filingId);
      if (task?.stage !== 'amend') return;
      // Decided before by this amendment (a redelivered outbox item, or an answer lost with
      // the function): the wait may not have heard it, so the same answer goes again.
      if (task.decided && task.decided.decision !== 'amended') return;
      const decision = task.decided ?? {
        decision: 'amended' as const,
        actor: { role: 'applicant' as const },
        at: new Date().toISOString(),
      };
      const decided = task.decided ? task : await reviews.decide(filingId, task.seq, decision);
      try {
        await tasks.succeed(decided.taskToken, decision);
      } catch (error) {
        // The wait was answered already, or ended: nothing is waiting for this amendment.
        if (!(error instanceof TaskDoesNotExist || error instanceof TaskTimedOut)) throw error;
      }
    },
    async reviewResumed({ name, input }) {
      try {
        await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      } catch (error) {
        // Started before (a repeated restart): that execution is the one.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    async filingWithdrawn(filingId) {
      const task = await reviews.getTask(filingId);
      if (!task || task.decided) return;
      // A province task not yet in a batch leaves the list of those waiting for one now, not
      // when the next batch run finds the filing withdrawn.
      if (task.stage === 'province' && !task.batchId) await reviews.leaveBatchQueue(filingId);
      await tasks
        .fail(task.taskToken, 'FilingWithdrawn', 'the applicant withdrew the filing')
        .catch(() => undefined);
    },
  };
}
