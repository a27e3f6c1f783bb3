/*
 * definition_map.c — the Map state: its item processor (ItemProcessor, or
 * the older Iterator), item selection, concurrency, and the fields of
 * Distributed mode (ItemReader, ItemBatcher, ResultWriter, tolerated
 * failures, Label), which are validated and kept as given.
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

#include "jsonata_value.h"
#include "names.h"

static const char *const processor_extra[] = {"ProcessorConfig", NULL};
static const char *const config_fields[] = {"Mode", "ExecutionType", NULL};
static const char *const reader_fields[] = {"Resource", "Parameters", "ReaderConfig", NULL};
static const char *const reader_config_fields[] = {
	"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ManifestType",
	"MaxItems", "MaxItemsPath", NULL
};
static const char *const batcher_fields[] = {
	"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
	"MaxInputBytesPerBatchPath", "BatchInput", NULL
};
static const char *const writer_fields[] = {"Resource", "Parameters", "WriterConfig", NULL};
static const char *const writer_config_fields[] = {"OutputType", "Transformation", NULL};

/* The same objects in a JSONata Map: Arguments for Parameters, no *Path fields. */
static const char *const j_reader_fields[] = {"Resource", "Arguments", "ReaderConfig", NULL};
static const char *const j_reader_config_fields[] = {
	"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ManifestType", "MaxItems", NULL
};
static const char *const j_batcher_fields[] = {"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput", NULL};
static const char *const j_writer_fields[] = {"Resource", "Arguments", "WriterConfig", NULL};

/* JSONPath's names there: refused in JSONata with a message that says so */
static const char *const j_refused[] = {
	"Parameters", "MaxItemsPath", "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath", NULL
};

/* Fields AWS accepts only when ProcessorConfig.Mode is DISTRIBUTED. */
static const char *const distributed_only[] = {
	"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount",
	"ToleratedFailureCountPath", "ToleratedFailurePercentage",
	"ToleratedFailurePercentagePath", "Label", NULL
};

static bool
has(json_object *obj, const char *field)
{
	return json_object_object_get_ex(obj, field, NULL);
}

/* Reports when the string field is not one of the NULL-ended choices. */
static const char *
read_enum(asl_build *b, json_object *obj, const char *base, const char *field,
		  const char *const *choices)
{
	const char *v;

	if (!asl_read_string(b, obj, base, field, &v))
		return NULL;
	for (const char *const *c = choices; *c; c++)
		if (strcmp(*c, v) == 0)
			return v;
	asl_build_error(b, "INVALID_VALUE", base, field, "\"%s\" is not a valid %s", v, field);
	return NULL;
}

/*
 * ItemProcessor's ProcessorConfig: Mode (INLINE or DISTRIBUTED) and
 * ExecutionType.
 */
static void
read_processor_config(asl_build *b, asl_map_config *map, json_object *processor,
					  const char *pointer)
{
	static const char *const modes[] = {"INLINE", "DISTRIBUTED", NULL};
	static const char *const types[] = {"STANDARD", "EXPRESS", NULL};
	json_object *config;
	char	   *where;
	const char *v;

	if (!asl_read_object(b, processor, pointer, "ProcessorConfig", &config))
		return;
	where = asl_build_pointer(b, pointer, "ProcessorConfig");
	if (where == NULL)
		return;
	asl_check_keys(b, config, where, "ProcessorConfig", config_fields);
	v = read_enum(b, config, where, "Mode", modes);
	map->distributed = v != NULL && strcmp(v, "DISTRIBUTED") == 0;
	v = read_enum(b, config, where, "ExecutionType", types);
	map->express = v != NULL && strcmp(v, "EXPRESS") == 0;
	if (map->distributed && !has(config, "ExecutionType"))
		asl_build_error(b, "MISSING_FIELD", where, NULL,
						"a DISTRIBUTED processor needs ExecutionType (STANDARD or EXPRESS)");
	free(where);
}

void
asl_parse_map_processor(asl_build *b, asl_state *st, json_object *def)
{
	bool		ip = has(def, "ItemProcessor");
	bool		it = has(def, "Iterator");
	const char *field = ip ? "ItemProcessor" : "Iterator";
	char	   *where;

	if (!ip && !it)
	{
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL,
						"a Map state needs ItemProcessor (or the older Iterator)");
		return;
	}
	if (ip && it)
		asl_build_error(b, "MUTUALLY_EXCLUSIVE_FIELDS", st->pointer, NULL,
						"ItemProcessor and Iterator are mutually exclusive: give only ItemProcessor");
	where = asl_build_pointer(b, st->pointer, field);
	if (where == NULL)
		return;
	/* AWS accepts ProcessorConfig in the older Iterator too */
	if (json_object_is_type(asl_field(def, field), json_type_object))
		read_processor_config(b, &st->map, asl_field(def, field), where);
	st->map.processor = asl_parse_graph(b, asl_field(def, field), where, st, processor_extra);
	free(where);
}

/* A template checked for its paths, then dropped: the host reads the JSON. */
static void
check_template(asl_build *b, json_object *obj, const char *base, const char *field)
{
	asl_template *tpl = asl_read_template(b, obj, base, field);

	asl_drop_template(tpl);
}

/* Resource of ItemReader / ResultWriter: arn:P:states:::s3:ACTION. */
static void
check_s3_resource(asl_build *b, json_object *obj, const char *base, const char *what,
				  const char *const *actions)
{
	const char *arn;
	const char *p;

	if (!has(obj, "Resource"))
	{
		asl_build_error(b, "MISSING_FIELD", base, NULL, "%s needs a Resource", what);
		return;
	}
	if (!asl_read_string(b, obj, base, "Resource", &arn))
		return;
	if (strncmp(arn, "arn:", 4) == 0 && (p = strchr(arn + 4, ':')) != NULL &&
		p != arn + 4 && strncmp(p, ":states:::s3:", 13) == 0)
	{
		for (const char *const *a = actions; *a; a++)
			if (strcmp(p + 13, *a) == 0)
				return;
	}
	asl_build_error(b, "INVALID_RESOURCE", base, "Resource",
					"\"%s\" is not a valid %s resource (arn:aws:states:::s3:%s%s)", arn, what,
					actions[0], actions[1] ? " or another S3 action of the integration" : "");
}

/* A *Path-or-literal pair validated and dropped (kept in the JSON). */
static void
check_num_or_path(asl_build *b, json_object *obj, const char *base, const char *lit,
				  const char *path, double min, double max)
{
	asl_num_or_path v;

	asl_read_num_or_path(b, obj, base, lit, path, min, max, true, &v);
	asl_drop_path(v.path);
}

/*
 * The keys of a reader/batcher/writer object: JSONPath's or, in a JSONata
 * Map, JSONata's, with JSONPath's names there reported as such.
 */
static void
check_source_keys(asl_build *b, json_object *obj, const char *where, const char *what,
				  const char *const *jsonpath_keys, const char *const *jsonata_keys, bool jsonata)
{
	if (!jsonata)
	{
		asl_check_keys(b, obj, where, what, jsonpath_keys);
		return;
	}
	{
		json_object_object_foreach(obj, key, val)
		{
			bool		known = false;

			(void) val;
			for (const char *const *k = jsonata_keys; *k && !known; k++)
				known = strcmp(*k, key) == 0;
			for (const char *const *k = j_refused; *k && !known; k++)
				if (strcmp(*k, key) == 0)
				{
					asl_build_error(b, "INVALID_FIELD", where, key,
									"the field \"%s\" is JSONPath only; a JSONata Map uses Arguments and {%% %%} expressions",
									key);
					known = true;
				}
			if (!known)
				asl_build_error(b, "UNKNOWN_FIELD", where, key, "unknown field \"%s\" in %s", key, what);
		}
	}
}

/* A JSONata value (Arguments, BatchInput): its expressions compiled to check them, then dropped. */
static void
check_jsonata(asl_build *b, json_object *obj, const char *base, const char *field)
{
	json_object *v;
	char	   *at;

	if (!json_object_object_get_ex(obj, field, &v) || (at = asl_build_pointer(b, base, field)) == NULL)
		return;
	asl_jvalue_free(asl_jvalue_compile(v, field, at, b->diags));
	free(at);
}

/* A number of a JSONata Map's reader or batcher: literal within [min, max], or an expression. */
static void
check_jsonata_number(asl_build *b, json_object *obj, const char *base, const char *field,
					 double min, double max)
{
	json_object *v = asl_field(obj, field);
	double		d;

	if (v == NULL)
		return;
	if (json_object_is_type(v, json_type_string) && asl_jsonata_is_expr(json_object_get_string(v)))
		check_jsonata(b, obj, base, field);
	else
		asl_read_number(b, obj, base, field, min, max, &d);
}

/*
 * ItemReader: checked as AWS checks it (S3 actions, ReaderConfig) although
 * booking reads no S3 items.
 */
static void
read_item_reader(asl_build *b, asl_state *st, json_object *def, bool jsonata)
{
	static const char *const actions[] = {"getObject", "listObjectsV2", NULL};
	static const char *const inputs[] = {"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET", NULL};
	static const char *const headers[] = {"FIRST_ROW", "GIVEN", NULL};
	json_object *reader;
	json_object *config;
	char	   *where;
	char	   *cwhere;

	if (!asl_read_object(b, def, st->pointer, "ItemReader", &reader))
		return;
	where = asl_build_pointer(b, st->pointer, "ItemReader");
	if (where == NULL)
		return;
	check_source_keys(b, reader, where, "ItemReader", reader_fields, j_reader_fields, jsonata);
	check_s3_resource(b, reader, where, "ItemReader", actions);
	if (jsonata)
		check_jsonata(b, reader, where, "Arguments");
	else if (has(reader, "Parameters"))
		check_template(b, reader, where, "Parameters");
	if (asl_read_object(b, reader, where, "ReaderConfig", &config) &&
		(cwhere = asl_build_pointer(b, where, "ReaderConfig")) != NULL)
	{
		const char *v;

		check_source_keys(b, config, cwhere, "ReaderConfig", reader_config_fields,
						  j_reader_config_fields, jsonata);
		read_enum(b, config, cwhere, "InputType", inputs);
		read_enum(b, config, cwhere, "CSVHeaderLocation", headers);
		asl_read_string(b, config, cwhere, "CSVDelimiter", &v);
		asl_read_string(b, config, cwhere, "ManifestType", &v);
		if (has(config, "CSVHeaders") &&
			!json_object_is_type(asl_field(config, "CSVHeaders"), json_type_array))
			asl_build_error(b, "WRONG_TYPE", cwhere, "CSVHeaders", "CSVHeaders must be an array of strings");
		if (jsonata)
			check_jsonata_number(b, config, cwhere, "MaxItems", 0, 100000000);
		else
			check_num_or_path(b, config, cwhere, "MaxItems", "MaxItemsPath", 0, 100000000);
		free(cwhere);
	}
	st->map.item_reader = json_object_get(reader);
	free(where);
}

/*
 * ItemBatcher: MaxItemsPerBatch, MaxInputBytesPerBatch (or their Paths) and
 * BatchInput.
 */
static void
read_item_batcher(asl_build *b, asl_state *st, json_object *def, bool jsonata)
{
	json_object *batcher;
	char	   *where;

	if (!asl_read_object(b, def, st->pointer, "ItemBatcher", &batcher))
		return;
	where = asl_build_pointer(b, st->pointer, "ItemBatcher");
	if (where == NULL)
		return;
	check_source_keys(b, batcher, where, "ItemBatcher", batcher_fields, j_batcher_fields, jsonata);
	if (!has(batcher, "MaxItemsPerBatch") && !has(batcher, "MaxInputBytesPerBatch") &&
		(jsonata || (!has(batcher, "MaxItemsPerBatchPath") && !has(batcher, "MaxInputBytesPerBatchPath"))))
		asl_build_error(b, "MISSING_FIELD", where, NULL, jsonata ?
						"ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch" :
						"ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their Path forms)");
	/* AWS: a batch is at most 256 KiB */
	if (jsonata)
	{
		check_jsonata_number(b, batcher, where, "MaxItemsPerBatch", 1, (double) ASL_MAX_COUNT);
		check_jsonata_number(b, batcher, where, "MaxInputBytesPerBatch", 1, 262144);
		check_jsonata(b, batcher, where, "BatchInput");
	}
	else
	{
		check_num_or_path(b, batcher, where, "MaxItemsPerBatch", "MaxItemsPerBatchPath",
						  1, (double) ASL_MAX_COUNT);
		check_num_or_path(b, batcher, where, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath",
						  1, 262144);
		if (has(batcher, "BatchInput"))
			check_template(b, batcher, where, "BatchInput");
	}
	st->map.item_batcher = json_object_get(batcher);
	free(where);
}

/* ResultWriter: checked as AWS checks it (S3 putObject, WriterConfig). */
static void
read_result_writer(asl_build *b, asl_state *st, json_object *def, bool jsonata)
{
	static const char *const actions[] = {"putObject", NULL};
	static const char *const outputs[] = {"JSON", "JSONL", NULL};
	static const char *const transforms[] = {"NONE", "COMPACT", "FLATTEN", NULL};
	json_object *writer;
	json_object *config;
	char	   *where;
	char	   *cwhere;

	if (!asl_read_object(b, def, st->pointer, "ResultWriter", &writer))
		return;
	where = asl_build_pointer(b, st->pointer, "ResultWriter");
	if (where == NULL)
		return;
	check_source_keys(b, writer, where, "ResultWriter", writer_fields, j_writer_fields, jsonata);
	if (has(writer, "Resource"))
		check_s3_resource(b, writer, where, "ResultWriter", actions);
	if (jsonata)
		check_jsonata(b, writer, where, "Arguments");
	else if (has(writer, "Parameters"))
		check_template(b, writer, where, "Parameters");
	if (asl_read_object(b, writer, where, "WriterConfig", &config) &&
		(cwhere = asl_build_pointer(b, where, "WriterConfig")) != NULL)
	{
		asl_check_keys(b, config, cwhere, "WriterConfig", writer_config_fields);
		read_enum(b, config, cwhere, "OutputType", outputs);
		read_enum(b, config, cwhere, "Transformation", transforms);
		free(cwhere);
	}
	if (!has(writer, "Resource") && !has(writer, "WriterConfig"))
		asl_build_error(b, "MISSING_FIELD", where, NULL, "ResultWriter needs a Resource or a WriterConfig");
	st->map.result_writer = json_object_get(writer);
	free(where);
}

/* Label: a valid name of at most 40 characters. */
static void
read_label(asl_build *b, asl_state *st, json_object *def)
{
	const char *label;
	const char *why;

	if (!asl_read_string(b, def, st->pointer, "Label", &label))
		return;
	if (!asl_name_valid(label, &why))
		asl_build_error(b, "INVALID_VALUE", st->pointer, "Label", "Label %s", why);
	else if (strlen(label) > 40)
		asl_build_error(b, "INVALID_VALUE", st->pointer, "Label", "Label must be at most 40 characters");
	else
		st->map.label = asl_build_strdup(b, label);
}

/* Reports each of fields that an inline Map was given; true when there was one. */
static bool
refuse_inline(asl_build *b, asl_state *st, json_object *def, const char *const *fields)
{
	bool		any = false;

	for (const char *const *f = fields; *f; f++)
		if (has(def, *f))
		{
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, *f,
							"%s is a field of Distributed Map only: set ItemProcessor.ProcessorConfig.Mode to DISTRIBUTED",
							*f);
			any = true;
		}
	return any;
}

/*
 * Reports Distributed Map fields given to an inline Map; otherwise reads
 * the reader, batcher, writer, tolerated failures and Label.
 */
static void
read_distributed(asl_build *b, asl_state *st, json_object *def)
{
	if (!st->map.distributed && refuse_inline(b, st, def, distributed_only))
		return;
	asl_parse_map_sources(b, st, def, false);
	asl_read_num_or_path(b, def, st->pointer, "ToleratedFailureCount", "ToleratedFailureCountPath",
						 0, (double) ASL_MAX_COUNT, true, &st->map.tolerated_failure_count);
	asl_read_num_or_path(b, def, st->pointer, "ToleratedFailurePercentage",
						 "ToleratedFailurePercentagePath", 0, 100, false,
						 &st->map.tolerated_failure_percentage);
	read_label(b, st, def);
}

void
asl_parse_map_sources(asl_build *b, asl_state *st, json_object *def, bool jsonata)
{
	static const char *const sources[] = {"ItemReader", "ItemBatcher", "ResultWriter", NULL};

	if (jsonata && !st->map.distributed && refuse_inline(b, st, def, sources))
		return;
	read_item_reader(b, st, def, jsonata);
	read_item_batcher(b, st, def, jsonata);
	read_result_writer(b, st, def, jsonata);
}

void
asl_parse_map(asl_build *b, asl_state *st, json_object *def)
{
	asl_parse_map_processor(b, st, def);
	/* Parameters is the older name of ItemSelector */
	if (asl_exclusive(b, def, st->pointer, "ItemSelector", "Parameters"))
	{
		if (has(def, "ItemSelector"))
			st->map.item_selector = asl_read_template(b, def, st->pointer, "ItemSelector");
		else if (has(def, "Parameters"))
			st->map.item_selector = asl_read_template(b, def, st->pointer, "Parameters");
	}
	if (has(def, "ItemsPath"))
	{
		if (asl_read_path(b, def, st->pointer, "ItemsPath", ASL_PATH_REFERENCE,
						  &st->map.items_path.path))
			st->map.items_path.present = true;
	}
	asl_read_num_or_path(b, def, st->pointer, "MaxConcurrency", "MaxConcurrencyPath",
						 0, (double) ASL_MAX_COUNT, true, &st->map.max_concurrency);
	read_distributed(b, st, def);
}

void
asl_map_config_release(asl_map_config *map)
{
	asl_graph_free(map->processor);
	asl_opt_path_release(&map->items_path);
	asl_drop_template(map->item_selector);
	asl_drop_path(map->max_concurrency.path);
	asl_drop_path(map->tolerated_failure_count.path);
	asl_drop_path(map->tolerated_failure_percentage.path);
	json_object_put(map->item_reader);
	json_object_put(map->item_batcher);
	json_object_put(map->result_writer);
	free(map->label);
	memset(map, 0, sizeof(*map));
}
