// stepFunctions.mjs — the article's GraphQL schema, exactly:
//
//   type StepFunctions { id: String! arn: String! }
//   input StepFunctionsInput { id: ID! arn: String! }
//   type Query { getStepFunctions: [StepFunctions!] }
//   type Mutation { addStepFunction(input: StepFunctionsInput!): StepFunctions }
//
// In the article, AppSync handed addStepFunction to a Lambda that called
// StartExecution (stateMachineArn = arn, name = id, a fixed input) and returned
// {id, arn}. Here the same is booking_app.add_step_function(id, arn, input),
// in the request's transaction; getStepFunctions lists what it started
// (booking_app.get_step_functions()). One addition: an optional `input`
// document for the execution (the article's fixed input when absent).
import { extendSchema, gql } from "postgraphile/utils";
import { constant } from "postgraphile/grafast";
import { withPgClient, sideEffectWithPgClientTransaction } from "postgraphile/@dataplan/pg";

export const StepFunctionsPlugin = extendSchema((build) => {
  const executor = build.input.pgRegistry.pgExecutors.main;
  return {
    typeDefs: gql`
      """
      An execution started through addStepFunction: id is the execution's name,
      arn the state machine it runs (as the article's AppSync schema).
      """
      type StepFunctions {
        id: String!
        arn: String!
      }

      input StepFunctionsInput {
        "The execution's name (unique per state machine)."
        id: ID!
        "The state machine: its ARN (or its name)."
        arn: String!
        """
        The execution's input document. When absent, the article's:
        {"details": {"accountId": "1234567", "bookedStatus": "Booked"}}.
        """
        input: JSON
      }

      extend type Query {
        "The executions started through addStepFunction."
        getStepFunctions: [StepFunctions!]
      }

      extend type Mutation {
        "Starts an execution named input.id of state machine input.arn (StartExecution)."
        addStepFunction(input: StepFunctionsInput!): StepFunctions
      }
    `,
    objects: {
      Query: {
        plans: {
          getStepFunctions() {
            return withPgClient(executor, constant(null), async (client) => {
              const { rows } = await client.query({
                text: "select id, arn from booking_app.get_step_functions()",
              });
              return rows;
            });
          },
        },
      },
      Mutation: {
        plans: {
          addStepFunction(_$root, fieldArgs) {
            const $input = fieldArgs.getRaw("input");
            return sideEffectWithPgClientTransaction(executor, $input, async (client, input) => {
              const document = input.input === undefined || input.input === null ? null : JSON.stringify(input.input);
              const { rows } = await client.query({
                text: "select (r).id, (r).arn from booking_app.add_step_function($1, $2, $3::jsonb) as r",
                values: [String(input.id), input.arn, document],
              });
              return rows[0] ?? null;
            });
          },
        },
      },
    },
  };
}, "BookingStepFunctionsPlugin");
