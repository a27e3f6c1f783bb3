/*
 * ddb_expr_impl.h — what the expression files share: tokens, the parser
 * state with its error bookkeeping, operands and document paths.
 *
 * DynamoDB reports a syntax error before anything else, and among the other
 * problems a fixed priority decides which one is named; so a parse records
 * the first problem of each class and picks one at the end.
 */
#ifndef DDB_EXPR_IMPL_H
#define DDB_EXPR_IMPL_H

#include "ddb_expr.h"

typedef enum tok_kind
{
	TOK_EOF,
	TOK_IDENT,					/* name, keyword or function name */
	TOK_NAME_PH,				/* #name */
	TOK_VALUE_PH,				/* :value */
	TOK_NUMBER,					/* digits, inside [] */
	TOK_PUNCT,					/* ( ) [ ] . , = <> < <= > >= + - */
	TOK_BAD						/* a character no token starts with */
} tok_kind;

typedef struct token
{
	tok_kind	kind;
	size_t		start;
	size_t		len;
} token;

/* Classes of problems, each recorded once; see the priority lists in ddb_expr_parse.c. */
typedef enum problem
{
	PROB_PARENS,
	PROB_UNKNOWN_FUNCTION,
	PROB_MISUSED_FUNCTION,
	PROB_RESERVED,
	PROB_SECTION,
	PROB_NAME,
	PROB_VALUE,
	PROB_OVERLAP,
	PROB_CONFLICT,
	PROB_OPERAND,
	PROB_DISTINCT,
	PROB_FUNCTION,
	PROB_LIMIT,
	N_PROBLEMS
} problem;

typedef enum expr_kind
{
	EXPR_CONDITION,
	EXPR_UPDATE,
	EXPR_PROJECTION
} expr_kind;

typedef struct parser
{
	const char *text;
	expr_kind	kind;
	token	   *toks;
	size_t		ntoks;
	size_t		pos;
	int			depth;			/* parentheses and NOT, bounded */
	ddb_placeholders *ph;
	bool		syntax_failed;
	bool		aborted;		/* a limit stopped the parse; the problem says
								 * which */
	size_t		syntax_at;		/* token index of the syntax error */
	char	   *problems[N_PROBLEMS];
	bool		oom;
} parser;

/* Operands: of comparisons and functions in conditions, of SET in updates. */
typedef enum operand_kind
{
	OPD_PATH,
	OPD_VALUE,					/* a :placeholder's typed value */
	OPD_CALL,					/* size, if_not_exists, list_append, or an
								 * unknown name */
	OPD_PLUS,
	OPD_MINUS
} operand_kind;

typedef struct operand
{
	operand_kind kind;
	ddb_path	path;			/* OPD_PATH */
	json_object *value;			/* OPD_VALUE: a reference */
	char	   *name;			/* OPD_CALL */
	struct operand **args;		/* OPD_CALL, OPD_PLUS, OPD_MINUS */
	size_t		nargs;
	bool		parens;			/* written in parentheses */
} operand;

/* ---- ddb_expr_lex.c ---- */

/* Splits text into tokens ending with TOK_EOF; false when out of memory. */
bool		ddb_lex(const char *text, token **toks, size_t *ntoks);

/* ---- ddb_expr_parse.c: the parser's common parts ---- */

bool		ddb_parser_init(parser *p, const char *text, expr_kind kind, ddb_placeholders *ph, char **message);
void		parser_release(parser *p);

/* Builds the final message (syntax error first, then by priority); NULL when none. */
char	   *parser_message(parser *p);

const token *peek(const parser *p);
bool		tok_is(const parser *p, const token *t, const char *text);
bool		tok_is_keyword(const parser *p, const token *t, const char *word);

/* Records a syntax error at the current token; returns false for chaining. */
bool		syntax_error(parser *p);
void		problem_set(parser *p, problem which, const char *fmt,...) __attribute__((format(printf, 3, 4)));
bool		expect(parser *p, const char *punct);

/* Nesting of parentheses and NOT, bounded so recursion is; false (parse stopped) past the bound. */
bool		enter(parser *p);
void		leave(parser *p);

/* Parses a document path; keywords is a NULL-terminated list of words that may not name an attribute. */
bool		parse_path(parser *p, ddb_path *out, const char *const *keywords);

void		path_release(ddb_path *path);
bool		paths_equal(const ddb_path *a, const ddb_path *b);

/* Records an overlap or conflict between any two of the paths. */
void		check_overlaps(parser *p, const ddb_path *const *paths, size_t count);

operand    *operand_new(operand_kind kind);
void		operand_free(operand *o);
bool		operand_add_arg(operand *o, operand *arg);

/* A :placeholder's value at the current token, as an operand. */
operand    *parse_value_operand(parser *p);

/* A document path at the current token, as an operand. */
operand    *parse_path_operand(parser *p, const char *const *keywords);

/* "(" inner ")" at the current "(", inner read by parse_inner. */
operand    *parse_parenthesized(parser *p, operand *(*parse_inner) (parser *p));

/* Whether the current token starts a function call: a name, then "(". */
bool		call_ahead(const parser *p);

/*
 * name(arg, ...) at the current token (call_ahead). Each argument is read by
 * parse_arg: conditions and updates allow different operands. A keyword is
 * no function name.
 */
operand    *parse_call_operand(parser *p, const char *const *keywords, operand *(*parse_arg) (parser *p));

/* "S" / "N" / ... of a literal operand, or NULL when only the item can tell. */
const char *operand_literal_type(const operand *o);

#endif
