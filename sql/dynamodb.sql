-- DynamoDB Task integration on tables: getItem, putItem, updateItem, deleteItem.
-- TableName is a table, attributes are its columns, the Key its primary key.

-- The request ids in DynamoDB's causes are random, as DynamoDB's are: masked.
CREATE FUNCTION masked(j jsonb) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT regexp_replace(j::text, 'Request ID: [A-Z0-9]{52};', 'Request ID: <request id>;', 'g')::jsonb
$$;

-- One Task state run by TestState: its output, or its error and cause.
CREATE FUNCTION ddb(action text, params jsonb, input jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
  SELECT masked(booking.sfn_test_state(jsonb_build_object(
           'Type', 'Task', 'Resource', 'arn:aws:states:::dynamodb:' || action,
           'Parameters', params, 'End', true), input => input) - 'inspectionData')
$$;

CREATE TABLE apartments (
  "Id" text PRIMARY KEY,
  status text,
  price numeric(10, 2),
  rooms int,
  tags text[],
  info jsonb,
  created timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
INSERT INTO apartments ("Id", status, price, rooms, tags, info)
VALUES ('1234567', 'vacant', 120.50, 3, '{sea,quiet}', '{"floor": 2, "owner": {"name": "Ann"}}');

-- ---- getItem ----
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}}}');
-- no such item: no Item member
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": "0000000"}}}');
-- ProjectionExpression, with a nested path and a name placeholder; ConsistentRead is accepted
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "ProjectionExpression": "#s, info.#o.#n, tags[0]", "ExpressionAttributeNames": {"#s": "status", "#o": "owner", "#n": "name"},
  "ConsistentRead": true}');
-- the key from the state's input, as Step Functions passes it
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S.$": "$.apartmentId"}}, "ProjectionExpression": "rooms"}',
           '{"apartmentId": "1234567"}');

-- ---- putItem ----
-- a new item: absent attributes take the column's DEFAULT
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-1"}, "status": {"S": "vacant"}, "rooms": {"N": "2"}}}');
SELECT * FROM apartments WHERE "Id" = 'A-1';
-- replacing it: the whole item, the old one returned
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-1"}, "status": {"S": "reserved"}, "price": {"N": "99.5"}},
  "ReturnValues": "ALL_OLD"}');
SELECT * FROM apartments WHERE "Id" = 'A-1';
-- a failed condition writes nothing
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-1"}, "status": {"S": "gone"}},
  "ConditionExpression": "attribute_not_exists(Id)"}');
SELECT "Id", status FROM apartments WHERE "Id" = 'A-1';
-- putItem takes ALL_OLD or NONE only
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-1"}}, "ReturnValues": "ALL_NEW"}');

-- ---- updateItem ----
-- SET with arithmetic, list_append, if_not_exists, a nested jsonb path; REMOVE; ReturnValues
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET rooms = rooms + :one, tags = list_append(tags, :t), price = if_not_exists(price, :p), info.floor = info.floor - :one, info.#o.phone = :ph",
  "ExpressionAttributeNames": {"#o": "owner"},
  "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"L": [{"S": "garden"}]}, ":p": {"N": "1"}, ":ph": {"S": "555"}},
  "ReturnValues": "UPDATED_NEW"}');
SELECT rooms, tags, price, info FROM apartments WHERE "Id" = '1234567';
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "REMOVE info.#o.phone SET #s = :s", "ExpressionAttributeNames": {"#s": "status", "#o": "owner"},
  "ExpressionAttributeValues": {":s": {"S": "reserved"}}, "ReturnValues": "UPDATED_OLD"}');
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-1"}},
  "UpdateExpression": "ADD rooms :two REMOVE price", "ExpressionAttributeValues": {":two": {"N": "2"}}, "ReturnValues": "ALL_NEW"}');
SELECT "Id", status, price, rooms FROM apartments WHERE "Id" = 'A-1';
-- an update of a missing item creates it (upsert), from its key and the update
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-2"}},
  "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "new"}},
  "ReturnValues": "ALL_NEW"}');
SELECT "Id", status, created FROM apartments WHERE "Id" = 'A-2';
-- ... unless its condition says otherwise: nothing is written
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-3"}},
  "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "new"}},
  "ConditionExpression": "attribute_exists(Id)"}');
SELECT count(*) AS a3_rows FROM apartments WHERE "Id" = 'A-3';
-- the key can't be updated
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-2"}},
  "UpdateExpression": "SET Id = :s", "ExpressionAttributeValues": {":s": {"S": "B"}}}');
-- arrays read as lists: ADD and DELETE of sets don't apply to them
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "DELETE tags :t", "ExpressionAttributeValues": {":t": {"SS": ["sea"]}}}');

-- ---- ConditionExpression ----
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET rooms = :r",
  "ConditionExpression": "(#s IN (:a, :b) AND rooms BETWEEN :lo AND :hi) AND begins_with(#s, :pre) AND contains(tags, :sea) AND size(tags) = :three AND attribute_type(info, :m) AND NOT attribute_exists(nope) AND attribute_not_exists(#x) OR price < :lo",
  "ExpressionAttributeNames": {"#s": "status", "#x": "no such column"},
  "ExpressionAttributeValues": {":r": {"N": "5"}, ":a": {"S": "vacant"}, ":b": {"S": "reserved"}, ":lo": {"N": "1"}, ":hi": {"N": "10"},
    ":pre": {"S": "res"}, ":sea": {"S": "sea"}, ":three": {"N": "3"}, ":m": {"S": "M"}},
  "ReturnValues": "UPDATED_NEW"}');
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET rooms = :r", "ConditionExpression": "rooms <> :r",
  "ExpressionAttributeValues": {":r": {"N": "5"}}}');
SELECT rooms FROM apartments WHERE "Id" = '1234567';

-- ---- deleteItem ----
SELECT ddb('deleteItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-2"}}, "ConditionExpression": "#s = :s",
  "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "old"}}}');
SELECT count(*) AS a2_rows FROM apartments WHERE "Id" = 'A-2';
SELECT ddb('deleteItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-2"}}, "ReturnValues": "ALL_OLD"}');
SELECT count(*) AS a2_rows FROM apartments WHERE "Id" = 'A-2';
-- deleting a missing item is not an error
SELECT ddb('deleteItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-2"}}, "ReturnValues": "ALL_OLD"}');

-- ---- tables: not found, exact names, schemas, composite keys ----
SELECT ddb('getItem', '{"TableName": "no_such_table", "Key": {"Id": {"S": "1"}}}');
-- names are exact: Apartments is not apartments
SELECT ddb('getItem', '{"TableName": "Apartments", "Key": {"Id": {"S": "1234567"}}}');
CREATE TABLE "Apartments" ("Id" text PRIMARY KEY, "Status" text);
INSERT INTO "Apartments" VALUES ('1234567', 'upper case');
SELECT ddb('getItem', '{"TableName": "Apartments", "Key": {"Id": {"S": "1234567"}}}');
-- a view or a sequence is no table
CREATE VIEW apartments_view AS SELECT * FROM apartments;
SELECT ddb('getItem', '{"TableName": "apartments_view", "Key": {"Id": {"S": "1234567"}}}');
CREATE SEQUENCE apartments_seq;
SELECT ddb('getItem', '{"TableName": "apartments_seq", "Key": {"Id": {"S": "1234567"}}}');
-- a table without a primary key
CREATE TABLE loose (a text);
SELECT ddb('getItem', '{"TableName": "loose", "Key": {"a": {"S": "x"}}}');
-- schema-qualified, mixed case, composite key
CREATE SCHEMA "Hotel";
CREATE TABLE "Hotel"."Rooms" ("Floor" int, "Number" int, name text, PRIMARY KEY ("Floor", "Number"));
SELECT ddb('putItem', '{"TableName": "Hotel.Rooms", "Item": {"Floor": {"N": "1"}, "Number": {"N": "12"}, "name": {"S": "Blue"}}}');
SELECT ddb('putItem', '{"TableName": "Hotel.Rooms", "Item": {"Floor": {"N": "1"}, "Number": {"N": "14"}, "name": {"S": "Red"}}}');
SELECT ddb('getItem', '{"TableName": "Hotel.Rooms", "Key": {"Number": {"N": "12"}, "Floor": {"N": "1"}}}');
SELECT ddb('updateItem', '{"TableName": "Hotel.Rooms", "Key": {"Floor": {"N": "1"}, "Number": {"N": "14"}},
  "UpdateExpression": "SET #n = :n", "ExpressionAttributeNames": {"#n": "name"}, "ExpressionAttributeValues": {":n": {"S": "Green"}},
  "ReturnValues": "ALL_NEW"}');
SELECT * FROM "Hotel"."Rooms" ORDER BY 1, 2;
-- the whole key is needed, and only the key
SELECT ddb('getItem', '{"TableName": "Hotel.Rooms", "Key": {"Floor": {"N": "1"}}}');
SELECT ddb('getItem', '{"TableName": "Hotel.Rooms", "Key": {"Floor": {"N": "1"}, "Number": {"N": "12"}, "name": {"S": "Blue"}}}');
-- through the search_path, and not without it
SET search_path = "Hotel", public;
SELECT ddb('getItem', '{"TableName": "Rooms", "Key": {"Floor": {"N": "1"}, "Number": {"N": "12"}}}');
RESET search_path;
SELECT ddb('getItem', '{"TableName": "Rooms", "Key": {"Floor": {"N": "1"}, "Number": {"N": "12"}}}');
-- a dot that names no schema is part of the table's name (DynamoDB names may hold dots);
-- one after a schema's name qualifies: "booking.v2" is v2 in schema booking, not the table "booking.v2"
CREATE TABLE "booking.v2" (k text PRIMARY KEY);
SELECT ddb('putItem', '{"TableName": "booking.v2", "Item": {"k": {"S": "x"}}}');
SELECT ddb('putItem', '{"TableName": "archive.v2", "Item": {"k": {"S": "x"}}}');
CREATE TABLE "archive.v2" (k text PRIMARY KEY);
SELECT ddb('putItem', '{"TableName": "archive.v2", "Item": {"k": {"S": "x"}}}');
SELECT * FROM "archive.v2";

-- ---- the key ----
-- names are exact: "id" is not "Id"
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"id": {"S": "1234567"}}}');
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"N": "1234567"}}}');
SELECT ddb('getItem', '{"TableName": "Hotel.Rooms", "Key": {"Floor": {"S": "1"}, "Number": {"N": "12"}}}');
SELECT ddb('getItem', '{"TableName": "Hotel.Rooms", "Key": {"Floor": {"N": "1.5"}, "Number": {"N": "12"}}}');
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": ""}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"status": {"S": "no key"}}}');
-- a key column DynamoDB keys can't have
CREATE TABLE flags (f boolean PRIMARY KEY);
SELECT ddb('getItem', '{"TableName": "flags", "Key": {"f": {"BOOL": true}}}');

-- ---- attributes that aren't columns, values of the wrong type ----
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "colour": {"S": "red"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "Status": {"S": "attribute names are exact"}}}');
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET colour = :c", "ExpressionAttributeValues": {":c": {"S": "red"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "rooms": {"S": "three"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "rooms": {"N": "2.5"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "status": {"N": "1"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "tags": {"NS": ["1"]}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "tags": {"L": [{"S": "a"}, {"BOOL": true}]}}}');
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET rooms = :r", "ExpressionAttributeValues": {":r": {"M": {}}}}');
-- a value the column type refuses: an SQL error, named as DynamoDB's exception
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "created": {"S": "next tuesday"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "created": {"NULL": true}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "price": {"N": "1e20"}}}');
SELECT count(*) AS a9_rows FROM apartments WHERE "Id" = 'A-9';
-- DynamoDB's own validation comes first
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "rooms": {"N": "three"}}}');
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}}, "ReturnValues": "ALL_OLD"}');
SELECT ddb('getItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}}, "ProjectionExpression": "status"}');

-- ---- nothing a definition holds becomes SQL ----
SELECT ddb('getItem', '{"TableName": "apartments; DROP TABLE apartments", "Key": {"Id": {"S": "1"}}}');
SELECT ddb('getItem', '{"TableName": "apartments\" WHERE false; --", "Key": {"Id": {"S": "1"}}}');
SELECT ddb('getItem', '{"TableName": "public.apartments\"; DROP TABLE apartments; --", "Key": {"Id": {"S": "1"}}}');
SELECT ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}},
  "UpdateExpression": "SET #c = :v", "ExpressionAttributeNames": {"#c": "status\" = NULL, \"rooms"},
  "ExpressionAttributeValues": {":v": {"S": "x"}}}');
SELECT ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "''); DROP TABLE apartments; --"}, "status": {"S": "$1 '' \" \\"}}}');
SELECT "Id", status FROM apartments WHERE "Id" LIKE '%DROP%';
SELECT count(*) AS apartments_rows FROM apartments;

-- ---- type mapping: every column type, both ways ----
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE kinds (
  k bigint PRIMARY KEY,
  i2 int2, i4 int4, f4 real, f8 float8, n numeric(12, 3), p positive, b boolean,
  t text, vc varchar(5), ch char(3), u uuid, m mood,
  j json, jb jsonb, by bytea,
  d date, ts timestamp, tstz timestamptz, tm time,
  ta text[], na numeric[], ia int[], ib int[], ba bytea[], ja jsonb[], ea text[],
  g int GENERATED ALWAYS AS (i4 * 2) STORED
);
INSERT INTO kinds VALUES (1, -2, 4, 1.5, 0.1, 3.100, 7, true,
  'text', 'abc', 'x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'busy',
  '{"x": [1, "a", null, true, 1.5e3]}', '[{"y": false}, 12345678901234567890123]', '\x00ff10',
  '2024-02-29', '2024-02-29 23:59:59.5', '2024-02-29 23:59:59.5+05', '12:34:56',
  '{b,a,a,NULL}', '{1.50,-2e-3}', '{{1,2},{3,4}}', '{}', '{"\\x01",NULL}', '{"{\"a\": 1}",NULL}', '{""}');
-- reading: N in DynamoDB's canonical form, timestamptz in UTC, arrays as lists, json by its value
SELECT jsonb_pretty(ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "1"}}}'));
-- a round trip: the item read, put back under another key, is the same row
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
  "Parameters": {"TableName": "kinds", "Item.$": "$"}, "End": true}',
  input => (ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "1"}}}')#>'{output,Item}') || '{"k": {"N": "2"}}') - 'inspectionData';
SELECT (SELECT to_jsonb(r) - 'k' FROM kinds r WHERE k = 1) = (SELECT to_jsonb(r) - 'k' FROM kinds r WHERE k = 2) AS same_row;
-- writing: sets into arrays, typed values into jsonb, ISO timestamps with offsets, B as base64
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "3"}, "f8": {"N": "-1.25E-3"}, "n": {"N": "2.0005"},
  "ta": {"SS": ["x", "y"]}, "na": {"NS": ["1", "2.5"]}, "ba": {"BS": ["AQ==", "Ag=="]},
  "ia": {"L": [{"L": [{"N": "1"}, {"NULL": true}]}, {"L": [{"N": "3"}, {"N": "4"}]}]},
  "jb": {"M": {"set": {"SS": ["a"]}, "bin": {"B": "AQ=="}, "nil": {"NULL": true}, "deep": {"L": [{"N": "1"}, {"BOOL": false}]}}},
  "j": {"S": "just a string"}, "by": {"B": "3q2+7w=="},
  "tstz": {"S": "2024-05-01T12:00:00+02:00"}, "ts": {"S": "2024-05-01T12:00:00"}, "d": {"S": "2024-05-01"},
  "u": {"S": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"}, "m": {"S": "calm"}, "b": {"BOOL": false}, "i2": {"N": "-32768"}}}');
SELECT f8, n, ta, na, ba, ia, jb, j, by, tstz AT TIME ZONE 'UTC' AS tstz_utc, ts, d, u, m, b, i2 FROM kinds WHERE k = 3;
SELECT ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "3"}},
  "ProjectionExpression": "f8, n, ta, na, ba, ia, jb, j, #by, tstz", "ExpressionAttributeNames": {"#by": "by"}}');
-- the generated column is read, ignored by putItem (as above), and can't be updated; a response
-- shows the item as DynamoDB computes it, so ALL_NEW has g as it was, the row g recomputed
SELECT ddb('updateItem', '{"TableName": "kinds", "Key": {"k": {"N": "1"}}, "UpdateExpression": "SET g = :g",
  "ExpressionAttributeValues": {":g": {"N": "1"}}}');
SELECT ddb('updateItem', '{"TableName": "kinds", "Key": {"k": {"N": "1"}}, "UpdateExpression": "SET i4 = :v",
  "ExpressionAttributeValues": {":v": {"N": "21"}}, "ReturnValues": "ALL_NEW"}')#>'{output,Attributes,g}' AS g_response;
SELECT i4, g FROM kinds WHERE k = 1;
-- values the column types refuse
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "p": {"N": "-1"}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "vc": {"S": "too long"}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "m": {"S": "angry"}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "i2": {"N": "40000"}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "b": {"S": "true"}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "by": {"S": "AQ=="}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "ia": {"L": [{"L": [{"N": "1"}]}, {"L": []}]}}}');
SELECT ddb('putItem', '{"TableName": "kinds", "Item": {"k": {"N": "4"}, "ta": {"BS": ["AQ=="]}}}');
-- a string holding NUL (built by an intrinsic) can't be text
SELECT masked(booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
  "Parameters": {"TableName": "kinds", "Item": {"k": {"N": "4"}, "t": {"S.$": "States.Base64Decode(''YQBi'')"}}}, "End": true}') - 'inspectionData');
-- values DynamoDB can't hold make the item unreadable, naming the column
UPDATE kinds SET f8 = 'NaN' WHERE k = 2;
SELECT ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "2"}}}');
UPDATE kinds SET f8 = '-Infinity' WHERE k = 2;
SELECT ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "2"}}}');
UPDATE kinds SET f8 = 1e200 WHERE k = 2;
SELECT ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "2"}}}');
UPDATE kinds SET f8 = NULL, n = 'NaN' WHERE k = 2;
SELECT ddb('deleteItem', '{"TableName": "kinds", "Key": {"k": {"N": "2"}}}');
SELECT count(*) AS k2_rows FROM kinds WHERE k = 2;
UPDATE kinds SET n = NULL, jb = '[1.00000000000000000000000000000000000000001]' WHERE k = 2;
SELECT ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "2"}}}');

-- ---- the article's state machines (../shared/seed), their ASL unchanged ----
CREATE TABLE apartment_workshop_db ("Id" text PRIMARY KEY, status text, "bookedStatus" text);
INSERT INTO apartment_workshop_db VALUES ('1234567', 'vacant', 'PENDING');
\set article '{"Comment": "This state machine updates the status of a booked transaction in the DB, waits for payment to be made, and then updates again or passes", "StartAt": "Change Apartment Status", "States": {"Change Apartment Status": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "Parameters": {"TableName": "apartment_workshop_db", "Key": {"Id": {"S.$": "$.input.apartmentId"}}, "UpdateExpression": "SET #apartmentStatus = :status", "ExpressionAttributeNames": {"#apartmentStatus": "status"}, "ExpressionAttributeValues": {":status": {"S.$": "$.input.status"}}, "ConditionExpression": "attribute_exists(Id)"}, "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Comment": "Apartment Doesn''t Exist", "Next": "Fail", "ResultPath": "$.error"}], "Next": "Wait", "ResultPath": "$.updateItem"}, "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Get Apartment Status"}, "Get Apartment Status": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Parameters": {"TableName": "apartment_workshop_db", "Key": {"Id": {"S.$": "$.input.apartmentId"}}}, "ResultPath": "$.getItem", "Next": "Has Client Made Payment ?"}, "Has Client Made Payment ?": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.getItem.Item.status.S", "StringEquals": "paid"}, {"Variable": "$.getItem.Item.Id.S", "StringEquals": "1234567"}], "Next": "Payment Was made."}], "Default": "Payment Wasn''t Made, revert."}, "Payment Was made.": {"Type": "Pass", "End": true}, "Payment Wasn''t Made, revert.": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "Parameters": {"TableName": "apartment_workshop_db", "Key": {"Id": {"S": "1234567"}}, "UpdateExpression": "SET #apartmentStatus = :status", "ExpressionAttributeNames": {"#apartmentStatus": "status"}, "ExpressionAttributeValues": {":status": {"S": "vacant"}}}, "End": true}, "Fail": {"Type": "Fail", "Error": "Apartment Doesn''t Exist", "Cause": "Update Condition Failed"}}}'
-- Change Apartment Status: the apartment is reserved
SELECT r->>'status' AS status, r->>'nextState' AS next_state, r->'output' AS output
  FROM booking.sfn_test_state(:'article', 'Change Apartment Status',
                              '{"input": {"apartmentId": "1234567", "status": "reserved"}}') AS r;
SELECT * FROM apartment_workshop_db;
-- an apartment that doesn't exist: the condition fails, States.TaskFailed catches it, nothing is written
SELECT r->>'status' AS status, r->>'nextState' AS next_state, masked(r->'output') AS output
  FROM booking.sfn_test_state(:'article', 'Change Apartment Status',
                              '{"input": {"apartmentId": "7654321", "status": "reserved"}}') AS r;
SELECT count(*) AS rows FROM apartment_workshop_db;
-- Get Apartment Status, then the Choice on what it read
SELECT r->>'nextState' AS next_state, r->'output' AS output
  FROM booking.sfn_test_state(:'article', 'Get Apartment Status', '{"input": {"apartmentId": "1234567"}}') AS r;
SELECT r->>'nextState' AS next_state
  FROM booking.sfn_test_state(:'article', 'Has Client Made Payment ?',
         booking.sfn_test_state(:'article', 'Get Apartment Status', '{"input": {"apartmentId": "1234567"}}')->'output') AS r;
-- Payment Wasn't Made, revert.
SELECT r->>'status' AS status, r->'output' AS output
  FROM booking.sfn_test_state(:'article', 'Payment Wasn''t Made, revert.', '{}') AS r;
SELECT * FROM apartment_workshop_db;

-- The SAM version, deployed with its substitutions and run as a durable execution
\set sam '{"Comment": "This state machine updates the status of a booked transaction in the DB, waits for payment to be made, and then updates again or passes", "StartAt": "Change Apartment Status", "States": {"Change Apartment Status": {"Type": "Task", "Resource": "${DDBUpdateItem}", "Parameters": {"TableName": "${DDBTable}", "Key": {"Id": {"S.$": "$.details.accountId"}}, "ConditionExpression": "attribute_exists(Id)", "UpdateExpression": "SET bookedStatus = :bookedStatus", "ExpressionAttributeValues": {":bookedStatus": {"S.$": "$.details.bookedStatus"}}}, "Next": "Wait", "ResultPath": "$.updateResult", "Catch": [{"ErrorEquals": ["States.ALL"], "Comment": "Items Doesn''t Exist", "Next": "Fail", "ResultPath": "$.updateError"}]}, "Wait": {"Type": "Wait", "Seconds": 60, "Next": "Get Booking Status"}, "Get Booking Status": {"Type": "Task", "Resource": "${DDBGetItem}", "Parameters": {"TableName": "${DDBTable}", "Key": {"id": {"S.$": "$.details.accountId"}}}, "Next": "Has the Apartment been Paid ?", "ResultPath": "$.getItem", "Catch": [{"ErrorEquals": ["States.ALL"], "Comment": "Couldn''t find item", "Next": "Fail"}]}, "Has the Apartment been Paid ?": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.getItem.Item.Id.S", "StringEquals": "1234567"}, {"Variable": "$.getItem.Item.bookedStatus.S", "StringEquals": "Paid"}], "Next": "Apartment Paid"}], "Default": "Not Paid(Revert Apartment Status)"}, "Not Paid(Revert Apartment Status)": {"Type": "Task", "Resource": "${DDBUpdateItem}", "Parameters": {"TableName": "${DDBTable}", "Key": {"Id": {"S.$": "$.getItem.Item.Id.S"}}, "UpdateExpression": "SET bookedStatus = :bookedStatus", "ExpressionAttributeValues": {":bookedStatus": {"S": "PENDING"}}}, "End": true, "ResultPath": "$.notPaid"}, "Fail": {"Type": "Fail"}, "Apartment Paid": {"End": true, "Type": "Pass"}}}'
SELECT booking.sfn_create_state_machine('SamStepFunctionStateMachine', :'sam'::jsonb,
  '{"DDBUpdateItem": "arn:aws:states:::dynamodb:updateItem", "DDBGetItem": "arn:aws:states:::dynamodb:getItem", "DDBTable": "apartment_workshop_db"}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('SamStepFunctionStateMachine', '{"details": {"accountId": "1234567", "bookedStatus": "Booked"}}', 'booking-1') IS NOT NULL AS started;
-- the first state ran inside the start: booked, waiting for the payment
SELECT * FROM apartment_workshop_db;
SELECT d->>'status' AS status FROM booking.sfn_describe_execution('booking-1') AS d;
-- the wait is over: "Get Booking Status" reads Key "id", which is not the key "Id" (on AWS too), and its Catch ends in Fail
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'booking-1';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM booking.sfn_describe_execution('booking-1') AS d;
SELECT type, masked(details->'taskFailedEventDetails') AS failed
  FROM booking.sfn_get_execution_history('booking-1') WHERE type = 'TaskFailed';
-- an account that doesn't exist: the condition fails, the Catch goes to Fail, nothing is written
SELECT booking.sfn_start('SamStepFunctionStateMachine', '{"details": {"accountId": "0000000", "bookedStatus": "Booked"}}', 'booking-2') IS NOT NULL AS started;
SELECT d->>'status' AS status FROM booking.sfn_describe_execution('booking-2') AS d;
SELECT count(*) AS rows FROM apartment_workshop_db;

-- ---- the execution role's privileges and row-level security apply ----
CREATE ROLE ddb_reader;
GRANT USAGE ON SCHEMA booking TO ddb_reader;
GRANT SELECT ON apartments TO ddb_reader;
SELECT booking.sfn_create_state_machine('ddb_reader_machine', '{"StartAt": "Get", "States": {
  "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
          "Parameters": {"TableName": "apartments", "Key": {"Id": {"S": "1234567"}}, "ProjectionExpression": "#s",
                         "ExpressionAttributeNames": {"#s": "status"}},
          "ResultSelector": {"status.$": "$.Item.status.S"}, "ResultPath": "$.read", "Next": "Put"},
  "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Parameters": {"TableName": "apartments", "Item": {"Id": {"S": "R-1"}}},
          "Catch": [{"ErrorEquals": ["DynamoDB.AccessDeniedException"], "ResultPath": "$.denied", "Next": "Done"}], "End": true},
  "Done": {"Type": "Succeed"}}}',
  role => 'ddb_reader') IS NOT NULL AS created;
-- it may read, but not write (writes lock the row FOR UPDATE, which takes UPDATE privilege)
SELECT d->>'status' AS status, d->'output' AS output
  FROM booking.sfn_start_sync('ddb_reader_machine') AS d;
SELECT count(*) AS r1_rows FROM apartments WHERE "Id" = 'R-1';
CREATE TABLE secrets (k text PRIMARY KEY, owner name, v text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON secrets USING (owner = current_user) WITH CHECK (owner = current_user);
GRANT SELECT, INSERT, UPDATE, DELETE ON secrets TO ddb_reader;
INSERT INTO secrets VALUES ('mine', 'ddb_reader', 'a'), ('theirs', 'postgres', 'b');
SELECT booking.sfn_create_state_machine('ddb_rls_machine', '{"StartAt": "Get", "States": {
  "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
          "Parameters": {"TableName": "secrets", "Key": {"k": {"S.$": "$.k"}}}, "End": true}}}',
  role => 'ddb_reader') IS NOT NULL AS created;
SELECT d->'output' AS output FROM booking.sfn_start_sync('ddb_rls_machine', '{"k": "mine"}') AS d;
SELECT d->'output' AS output FROM booking.sfn_start_sync('ddb_rls_machine', '{"k": "theirs"}') AS d;
SELECT booking.sfn_update_state_machine('ddb_rls_machine', '{"StartAt": "Put", "States": {
  "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Parameters": {"TableName": "secrets", "Item": {"k": {"S.$": "$.k"}, "owner": {"S": "ddb_reader"}}}, "End": true}}}') IS NOT NULL AS updated;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_start_sync('ddb_rls_machine', '{"k": "theirs"}') AS d;
SELECT * FROM secrets ORDER BY k;

-- ---- memory: thousands of requests, failing and not, leave the backend's memory flat ----
CREATE FUNCTION pg_temp.requests(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    PERFORM ddb('getItem', '{"TableName": "kinds", "Key": {"k": {"N": "1"}}}');
    PERFORM ddb('putItem', '{"TableName": "apartments", "Item": {"Id": {"S": "A-9"}, "created": {"S": "next tuesday"}}}');
    PERFORM ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "1234567"}}, "UpdateExpression": "SET rooms = :r",
      "ConditionExpression": "rooms = :x", "ExpressionAttributeValues": {":r": {"N": "1"}, ":x": {"N": "0"}}}');
    PERFORM ddb('updateItem', '{"TableName": "apartments", "Key": {"Id": {"S": "A-1"}}, "UpdateExpression": "ADD rooms :one",
      "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": "ALL_NEW"}');
  END LOOP;
END $$;
SELECT pg_temp.requests(200);	-- warm up caches and allocator arenas
SELECT malloc_bytes AS malloc_before, context_bytes AS context_before FROM booking.booking_backend_memory() \gset
SELECT pg_temp.requests(1500);
SELECT malloc_bytes - :malloc_before < 262144 AS malloc_flat,
       context_bytes - :context_before < 262144 AS context_flat
  FROM booking.booking_backend_memory();
SELECT rooms FROM apartments WHERE "Id" = 'A-1';

DROP TABLE secrets;
REVOKE ALL ON apartments FROM ddb_reader;
REVOKE ALL ON SCHEMA booking FROM ddb_reader;
SELECT booking.sfn_delete_state_machine('ddb_reader_machine');
SELECT booking.sfn_delete_state_machine('ddb_rls_machine');
DROP ROLE ddb_reader;

-- clean up
DROP TABLE apartments, "Apartments", loose, "Hotel"."Rooms", "booking.v2", "archive.v2", flags, kinds, apartment_workshop_db CASCADE;
DROP SCHEMA "Hotel";
DROP SEQUENCE apartments_seq;
DROP DOMAIN positive;
DROP TYPE mood;
DROP FUNCTION ddb(text, jsonb, jsonb);
SELECT booking.sfn_delete_state_machine('SamStepFunctionStateMachine');
