// executionStatus.mjs — subscription to execution status changes.
//
// The extension sends NOTIFY booking_execution '{"executionArn": …, "status": …}'
// at the commit of every status change of a top-level execution. PostGraphile's
// pg subscriber LISTENs on one connection and fans the notifications out to the
// subscribed clients (graphql-ws over /graphql).
import { extendSchema, gql } from "postgraphile/utils";
import { access, context, lambda, listen } from "postgraphile/grafast";

export const CHANNEL = "booking_execution";

// A subscriber that passes on only the notifications about one execution
// (all of them when executionArn is null), parsed.
function parsedSubscriber(pgSubscriber, executionArn) {
  if (!pgSubscriber) return pgSubscriber;
  return {
    subscribe(topic) {
      const source = pgSubscriber.subscribe(topic);
      return {
        [Symbol.asyncIterator]() {
          let iterator = null;
          const it = async () => (iterator ??= (await source)[Symbol.asyncIterator]());
          return {
            async next() {
              for (;;) {
                const res = await (await it()).next();
                if (res.done) return res;
                let event;
                try {
                  event = JSON.parse(res.value);
                } catch {
                  continue;
                }
                if (typeof event?.executionArn !== "string" || typeof event?.status !== "string") continue;
                if (executionArn != null && event.executionArn !== executionArn) continue;
                return { value: event, done: false };
              }
            },
            async return(value) {
              const i = await it();
              if (typeof i.return === "function") await i.return();
              return { value, done: true };
            },
          };
        },
      };
    },
  };
}

export const ExecutionStatusPlugin = extendSchema((build) => {
  const executions = Object.values(build.input.pgRegistry.pgResources).find(
    (r) => !r.parameters && r.codec.extensions?.pg?.schemaName === "booking_api" && r.codec.extensions?.pg?.name === "executions",
  );
  if (!executions) throw new Error("ExecutionStatusPlugin: the view booking_api.executions (graphql/api.sql) is not there");
  return {
    typeDefs: gql`
      "A status change of an execution, delivered when the change commits."
      type ExecutionStatusChange {
        executionArn: String!
        "RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED"
        status: String!
        "The execution as it is when the change is delivered."
        execution: Execution
      }

      extend type Subscription {
        """
        Status changes of executions (all of them, or the one executionArn names),
        from the moment of subscribing.
        """
        executionStatusChanged(executionArn: String): ExecutionStatusChange
      }
    `,
    objects: {
      Subscription: {
        plans: {
          executionStatusChanged: {
            subscribePlan(_$root, fieldArgs) {
              const $subscriber = lambda(
                [context().get("pgSubscriber"), fieldArgs.getRaw("executionArn")],
                ([pgSubscriber, executionArn]) => parsedSubscriber(pgSubscriber, executionArn),
                true,
              );
              return listen($subscriber, CHANNEL);
            },
            plan($event) {
              return $event;
            },
          },
        },
      },
      ExecutionStatusChange: {
        plans: {
          execution($event) {
            return executions.find({ arn: access($event, "executionArn") }).single();
          },
        },
      },
    },
  };
}, "BookingExecutionStatusPlugin");
