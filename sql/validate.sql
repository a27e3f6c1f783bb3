-- sfn_validate: every problem at once, each with a code and a JSON pointer.

-- Both of the article's definitions (../shared/seed) validate.
\set console `cat statemachine/article_console.asl.json`
\set sam `cat statemachine/booking_step_function.asl.json`
\set sam_subs `cat statemachine/substitutions.json`
SELECT count(*) FILTER (WHERE severity = 'ERROR') AS errors FROM booking.sfn_validate(:'console'::jsonb);
SELECT count(*) FILTER (WHERE severity = 'ERROR') AS errors FROM booking.sfn_validate(:'sam'::jsonb, :'sam_subs'::jsonb);

-- The SAM template without its substitutions: each placeholder left is an error.
SELECT severity, code, location FROM booking.sfn_validate(:'sam'::jsonb)
 WHERE code = 'UNSUBSTITUTED_PLACEHOLDER' ORDER BY location;

-- A substitution missing one name still names the placeholder left.
SELECT severity, code, location, message FROM booking.sfn_validate(:'sam'::jsonb,
    '{"DDBUpdateItem": "arn:aws:states:::dynamodb:updateItem", "DDBTable": "t"}')
 WHERE code = 'UNSUBSTITUTED_PLACEHOLDER' ORDER BY location;

-- Many problems in one definition, all reported.
SELECT severity, code, location FROM booking.sfn_validate('{
  "StartAt": "First",
  "States": {
    "First":  {"Type": "Pass", "Next": "Nowhere", "Colour": "blue"},
    "Second": {"Type": "Pass", "End": true, "Next": "First"},
    "Third":  {"Type": "Wait", "Seconds": -5, "End": true},
    "Fourth": {"Type": "Task", "Resource": "not an arn", "End": true},
    "Fifth":  {"Type": "Choice", "Choices": [], "Default": "Missing"},
    "Sixth":  {"Type": "Pass", "InputPath": "$.a[", "End": true}
  }
}') ORDER BY location, code;

-- Not an object at all
SELECT severity, code, location FROM booking.sfn_validate('[1, 2]');
SELECT severity, code, location FROM booking.sfn_validate('{}') ORDER BY location, code;

-- Retry and Catch: States.ALL alone and last
SELECT severity, code, location FROM booking.sfn_validate('{
  "StartAt": "T",
  "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
          "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"]}],
          "Catch": [{"ErrorEquals": ["States.ALL", "MyError"], "Next": "F"}]},
    "F": {"Type": "Fail", "Error": "E"}
  }
}') ORDER BY location, code;

-- State names are unique across the whole machine, branches included.
SELECT severity, code, location FROM booking.sfn_validate('{
  "StartAt": "P",
  "States": {
    "P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
      {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}
    ]}
  }
}') ORDER BY location, code;

-- Warnings do not make a definition invalid (AWS's NO_DOLLAR).
SELECT severity, code, location FROM booking.sfn_validate('{
  "StartAt": "P",
  "States": {"P": {"Type": "Pass", "Parameters": {"name": "$.name"}, "End": true}}
}');

-- NULL definition is an error, not an empty answer
SELECT * FROM booking.sfn_validate(NULL);
