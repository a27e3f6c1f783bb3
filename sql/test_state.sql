-- sfn_test_state: one state, every stage of its data flow (TestState, DEBUG level).

-- A single state definition, as TestState takes it: stages from input to output
SELECT jsonb_pretty(booking.sfn_test_state('{
  "Type": "Pass",
  "InputPath": "$.order",
  "Parameters": {"id.$": "$.id", "total.$": "States.MathAdd($.price, $.shipping)"},
  "ResultPath": "$.summary",
  "OutputPath": "$.summary",
  "Next": "Charge"
}', input => '{"order": {"id": "o-1", "price": 40, "shipping": 2}}'));

-- Task with a catcher: no SQL function charge(jsonb) exists, so the task fails with
-- Lambda.ResourceNotFoundException and States.ALL catches it into $.error
SELECT booking.sfn_test_state('{
  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
  "End": true
}', input => '{"a": 1}') - 'cause' #- '{output,error,Cause}' #- '{inspectionData,afterResultPath,error,Cause}';

-- A retrier that applies: RETRIABLE, with the back-off in errorDetails
SELECT r->>'status' AS status, r->>'nextState' AS next_state, r->'inspectionData'->'errorDetails' AS error_details
  FROM booking.sfn_test_state('{
  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
  "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 3, "BackoffRate": 2}],
  "End": true}', 'Charge') AS r;

-- Choice: the matching rule's Next
SELECT booking.sfn_test_state('{
  "Type": "Choice",
  "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 10, "Next": "Big"},
              {"Variable": "$.n", "NumericLessThan": 10, "Next": "Small"}],
  "Default": "Other"}', input => '{"n": 12}') AS choice;

-- Fail: FAILED with its error and cause
SELECT booking.sfn_test_state('{"Type": "Fail", "Error": "Oops", "Cause": "testing"}') AS fail;

-- Wait does not wait in TestState: it reports the next state
SELECT booking.sfn_test_state('{"Type": "Wait", "Seconds": 3600, "Next": "After"}', input => '{"x": 1}') AS wait;

-- Variables: Assign sees them, and they show in inspectionData
SELECT booking.sfn_test_state('{"Type": "Pass", "Assign": {"total.$": "States.MathAdd($count, 1)"}, "End": true}',
                              variables => '{"count": 41}')->'inspectionData'->'variables' AS variables;

-- A state of a whole machine, by name (default: StartAt)
\set def '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res", "End": true}}}'
SELECT booking.sfn_test_state(:'def'::jsonb, 'B', '{"v": 2}')->'output' AS by_name,
       booking.sfn_test_state(:'def'::jsonb)->>'nextState' AS from_start_at;

-- A runtime failure inside the state: FAILED with States.Runtime
SELECT r->>'status' AS status, r->>'error' AS error
  FROM booking.sfn_test_state('{"Type": "Pass", "InputPath": "$.missing", "End": true}', input => '{}') AS r;

-- Errors
SELECT booking.sfn_test_state(:'def'::jsonb, 'Nope');
SELECT booking.sfn_test_state('{"Type": "Pass", "Next": 5}');
SELECT booking.sfn_test_state('{"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}], "End": true}');
SELECT booking.sfn_test_state(NULL);
-- Numbers pass through exactly, whatever their size: integers beyond int64 and
-- decimals beyond a double's precision come out with the digits they went in with.
SELECT booking.sfn_test_state('{"Type": "Pass", "End": true}',
  input => '{"big": 18446744073709551616, "huge": 12345678901234567890123, "min": -9223372036854775808,
             "precise": 0.1000000000000000000000001, "exp": 1.5e30, "list": [null, 1, [[]], {}]}')->'output';
