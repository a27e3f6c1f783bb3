/*
 * jn_sig.c — function signatures (`<s-nn?:s>`): parsing, and validating an
 * argument list the way the reference does (each argument's type symbol
 * matched against the parameters, the context standing in for a missing
 * `-` parameter, singletons wrapped for array parameters).
 */
#include "jsonata/jn_internal.h"

#include <stdio.h>
#include <string.h>

/*
 * The value types a signature letter accepts, as letters (s: string or
 * missing, a: anything, …).
 */
static const char *
set_for(char c)
{
	switch (c)
	{
		case 's':
			return "sm";
		case 'n':
			return "nm";
		case 'b':
			return "bm";
		case 'l':
			return "lm";
		case 'o':
			return "om";
		case 'a':
			return "asnblfom";
		case 'f':
			return "f";
		case 'j':
			return "asnblom";
		case 'x':
			return "asnblfom";
	}
	return NULL;
}

/* fails with code, where the signature parser stands (JSONata's offset) */
#define SIG_FAIL(code) do { *at = i; return (code); } while (0)

const char *
jn_sig_parse(const char *text, size_t len, jn_sig *sig, size_t *at)
{
	size_t		i = 1;

	memset(sig, 0, sizeof *sig);
	if (len < 2 || text[0] != '<')
		SIG_FAIL("S0401");
	while (i < len && text[i] != ':' && text[i] != '>')
	{
		char		c = text[i];
		jn_param   *prev = sig->n ? &sig->p[sig->n - 1] : NULL;

		if (set_for(c))
		{
			jn_param   *p;

			if (sig->n == 16)
				SIG_FAIL("S0401");
			p = &sig->p[sig->n++];
			p->type = c;
			snprintf(p->set, sizeof p->set, "%s", set_for(c));
			i++;
		}
		else if (c == '(')
		{
			jn_param   *p;
			size_t		o = 0,
						choice = i;

			if (sig->n == 16)
				SIG_FAIL("S0401");
			p = &sig->p[sig->n++];
			p->type = '(';
			i++;
			while (i < len && text[i] != ')')
			{
				if (text[i] == '<')
				{
					*at = choice;
					return "S0402";
				}
				if (!set_for(text[i]) || o + 2 >= sizeof p->set)
					SIG_FAIL("S0401");
				p->set[o++] = text[i++];
			}
			if (i >= len)
				SIG_FAIL("S0401");
			p->set[o++] = 'm';
			i++;
		}
		else if (c == '<')
		{
			size_t		o = 0;
			int			depth = 1;

			if (prev == NULL || (prev->type != 'a' && prev->type != 'f'))
				SIG_FAIL("S0401");
			i++;
			while (i < len && depth > 0)
			{
				if (text[i] == '<')
					depth++;
				else if (text[i] == '>' && --depth == 0)
					break;
				if (o + 1 < sizeof prev->subtype)
					prev->subtype[o++] = text[i];
				i++;
			}
			if (i >= len)
				SIG_FAIL("S0401");
			i++;
			if (prev->type == 'f')
				prev->subtype[0] = '\0';
		}
		else if (c == '?' || c == '+')
		{
			if (prev == NULL)
				SIG_FAIL("S0401");
			prev->mod = c;
			i++;
		}
		else if (c == '-')
		{
			if (prev == NULL)
				SIG_FAIL("S0401");
			prev->context = true;
			prev->mod = '?';
			i++;
		}
		else
			SIG_FAIL("S0401");
	}
	return i < len ? NULL : "S0401";
}

/* The signature letter of a value's type (m for undefined). */
static char
symbol_of(const jv *v)
{
	if (v == NULL)
		return 'm';
	switch (v->t)
	{
		case JV_FUNC:
			return 'f';
		case JV_STR:
			return 's';
		case JV_NUM:
			return 'n';
		case JV_BOOL:
			return 'b';
		case JV_NULL:
			return 'l';
		case JV_ARR:
			return 'a';
		case JV_OBJ:
			return 'o';
	}
	return 'm';
}

/*
 * Backtracking match of params[pi..np) against sym[si..n): greedy like the
 * reference's regular expression. caps[pi] gets how many symbols each took.
 * anchored: the whole string must be used.
 */
static int
match(const jn_sig *sig, int pi, int np, const char *sym, int si, int n, int *caps, bool anchored)
{
	const jn_param *p;
	int			maxk,
				mink;

	if (pi == np)
		return (!anchored || si == n) ? si : -1;
	p = &sig->p[pi];
	maxk = 0;
	while (si + maxk < n && strchr(p->set, sym[si + maxk]) &&
		   (p->mod == '+' || maxk < 1))
		maxk++;
	mink = p->mod == '?' ? 0 : 1;
	for (int k = maxk; k >= mink; k--)
	{
		int			r;

		caps[pi] = k;
		r = match(sig, pi + 1, np, sym, si + k, n, caps, anchored);
		if (r >= 0)
			return r;
	}
	return -1;
}

jv		  **
jn_sig_validate(jn_ctx *C, const jn_sig *sig, jv **args, int nargs, jv *context, int *nout)
{
	char		sym[64];
	int			caps[16];
	jv		  **out;
	int			ai = 0,
				o = 0;

	if (nargs > 60)
	{
		jn_fail(C, "T0410", -1, "Too many arguments");
		return NULL;
	}
	for (int i = 0; i < nargs; i++)
		sym[i] = symbol_of(args[i]);
	sym[nargs] = '\0';
	if (match(sig, 0, sig->n, sym, 0, nargs, caps, true) < 0)
	{
		int			good = 0;

		for (int k = 1; k <= sig->n; k++)
		{
			int			r = match(sig, 0, k, sym, 0, nargs, caps, false);

			if (r < 0)
				break;
			good = r;
		}
		jn_fail(C, "T0410", -1, "Argument %d of function \"{{token}}\" does not match function signature", good + 1);
		return NULL;
	}
	out = jn_alloc(&C->arena, (size_t) (nargs + sig->n + 1) * sizeof(jv *));
	if (out == NULL)
	{
		jn_oom(C);
		return NULL;
	}
	for (int pi = 0; pi < sig->n; pi++)
	{
		const jn_param *p = &sig->p[pi];

		if (caps[pi] == 0)
		{
			if (p->context)
			{
				char		cs = symbol_of(context);
				const char *set = set_for(p->type);

				if (p->type == '(')
					set = p->set;
				if (strchr(set, cs) == NULL)
				{
					jn_fail(C, "T0411", -1, "Context value is not a compatible type with argument %d of function \"{{token}}\"", ai + 1);
					return NULL;
				}
				out[o++] = context;
			}
			else
			{
				out[o++] = ai < nargs ? args[ai] : NULL;
				ai++;
			}
			continue;
		}
		for (int k = 0; k < caps[pi]; k++)
		{
			jv		   *arg = args[ai];
			char		single = sym[ai];

			if (p->type == 'a' && single != 'm')
			{
				bool		ok = true;

				if (p->subtype[0])
				{
					if (single != 'a' && !(caps[pi] == 1 && single == p->subtype[0] && p->subtype[1] == '\0'))
						ok = false;
					else if (single == 'a' && (arg->flags & JA_RANGE))
						ok = JV_A(arg).len == 0 || p->subtype[0] == 'n';
					else if (single == 'a')
					{
						if (JV_A(arg).len > 0)
						{
							char		it = symbol_of(JV_A(arg).v[0]);

							if (it != p->subtype[0])
								ok = false;
							for (size_t j = 0; ok && j < JV_A(arg).len; j++)
								if (symbol_of(JV_A(arg).v[j]) != it)
									ok = false;
						}
					}
				}
				if (!ok)
				{
					jn_fail(C, "T0412", -1, "Argument %d of function \"{{token}}\" must be an array of \"%s\"", ai + 1,
							p->subtype[0] == 'n' ? "numbers" : p->subtype[0] == 's' ? "strings" :
							p->subtype[0] == 'o' ? "objects" : p->subtype[0] == 'b' ? "booleans" : "values");
					return NULL;
				}
				if (single != 'a')
				{
					jv		   *wrap = jv_arr(&C->arena, 0);

					if (wrap == NULL || !jv_push(&C->arena, wrap, arg))
					{
						jn_oom(C);
						return NULL;
					}
					arg = wrap;
				}
			}
			else if (p->type == 'a')
				arg = NULL;
			out[o++] = arg;
			ai++;
		}
	}
	*nout = o;
	return out;
}
