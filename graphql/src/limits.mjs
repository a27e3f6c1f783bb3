// limits.mjs — no request may exhaust the server (docs/security.md).
//
// Three bounds, each a setting (BOOKING_GRAPHQL_MAX_*), checked before anything runs:
//   depth      fields nested at most maxDepth deep (introspection's __schema and
//              __type subtrees are not counted: GraphiQL's query nests deeper)
//   cost       the rows a query may ask for: each field costs 1 times the page
//              sizes of the lists around it; a connection or list counts its
//              `first`/`last` (maxPage when absent or given by a variable)
//   mutations  at most maxMutations root fields in a mutation (1,000 aliased
//              addStepFunction fields would start 1,000 executions)
//   introspection  the values a __schema or __type field would produce, counted
//              on the schema itself (maxIntrospection): aliases repeat the whole
//              schema, so a few hundred of them at each of graphql-js's three
//              allowed levels of `fields` would build billions of values
// and one enforced as the query runs: every connection and list of rows is a
// page of at most maxPage rows — `first`/`last` above it are refused, and
// without either the first maxPage rows are read (PagePlugin below).
import {
  GraphQLError, Kind, getNamedType, isListType, getNullableType, isObjectType, isInterfaceType,
  isInputObjectType, isEnumType, isAbstractType, isWrappingType,
} from "postgraphile/graphql";
import { lambda, SafeError } from "postgraphile/grafast";

export const DEFAULT_LIMITS = { maxDepth: 8, maxCost: 100000, maxPage: 100, maxMutations: 10, maxIntrospection: 200000 };

export function limitsFromEnv(env = process.env) {
  const read = (name, fallback) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
    return n;
  };
  return {
    maxDepth: read("BOOKING_GRAPHQL_MAX_DEPTH", DEFAULT_LIMITS.maxDepth),
    maxCost: read("BOOKING_GRAPHQL_MAX_COST", DEFAULT_LIMITS.maxCost),
    maxPage: read("BOOKING_GRAPHQL_MAX_PAGE", DEFAULT_LIMITS.maxPage),
    maxMutations: read("BOOKING_GRAPHQL_MAX_MUTATIONS", DEFAULT_LIMITS.maxMutations),
    maxIntrospection: read("BOOKING_GRAPHQL_MAX_INTROSPECTION", DEFAULT_LIMITS.maxIntrospection),
  };
}

const isConnectionType = (type) => {
  const named = getNamedType(type);
  return named?.name?.endsWith("Connection") && typeof named.getFields === "function" && "nodes" in named.getFields();
};

// the page size a list or connection field asks for: a literal first/last (the
// larger when both), else maxPage (absent, or a variable: capped as it runs)
function pageOf(node, maxPage) {
  let page = null;
  for (const arg of node.arguments ?? []) {
    if (arg.name.value !== "first" && arg.name.value !== "last") continue;
    if (arg.value.kind === Kind.INT) page = Math.max(page ?? 0, Number(arg.value.value));
    else return maxPage;
  }
  return page ?? maxPage;
}

// What an introspection field yields for one object (as graphql-js's resolvers
// do): a list, one object, or null for a leaf.
function introspected(schema, name, obj) {
  const fieldsOf = (t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : null);
  switch (name) {
    case "types": return Object.values(schema.getTypeMap());
    case "directives": return schema.getDirectives();
    case "queryType": return schema.getQueryType();
    case "mutationType": return schema.getMutationType() ?? null;
    case "subscriptionType": return schema.getSubscriptionType() ?? null;
    case "fields": return obj && fieldsOf(obj);
    case "interfaces": return obj && (isObjectType(obj) || isInterfaceType(obj)) ? obj.getInterfaces() : null;
    case "possibleTypes": return obj && isAbstractType(obj) ? schema.getPossibleTypes(obj) : null;
    case "enumValues": return obj && isEnumType(obj) ? obj.getValues() : null;
    case "inputFields": return obj && isInputObjectType(obj) ? Object.values(obj.getFields()) : null;
    case "ofType": return obj && isWrappingType(obj) ? obj.ofType : null;
    case "args": return obj?.args ?? null;
    case "type": return obj?.type ?? null;
    default: return null;
  }
}

// __type(name: "T"): T; a name given by a variable could be any: each type is
// counted, an upper bound of the one it will be
function typeNamed(schema, sel) {
  const arg = sel.arguments?.find((a) => a.name.value === "name");
  if (arg?.value.kind === Kind.STRING) return schema.getType(arg.value.value) ?? null;
  return Object.values(schema.getTypeMap());
}

// The values an introspection selection produces on obj, counted on the schema
// (an exact count, not an estimate); throws once past limit, so the count costs
// at most limit steps however the query multiplies.
function countIntrospection(schema, selectionSet, obj, fragments, limit, counter) {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      if (++counter.n > limit) throw counter;
      if (!sel.selectionSet) continue;
      const value = sel.name.value === "__type" ? typeNamed(schema, sel)
        : sel.name.value === "__schema" ? schema : introspected(schema, sel.name.value, obj);
      for (const item of Array.isArray(value) ? value : value == null ? [] : [value])
        countIntrospection(schema, sel.selectionSet, item, fragments, limit, counter);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      countIntrospection(schema, sel.selectionSet, obj, fragments, limit, counter);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = fragments.get(sel.name.value);
      if (!frag || counter.spreads.has(frag.name.value)) continue; // unknown or cyclic: other rules report it
      counter.spreads.add(frag.name.value);
      countIntrospection(schema, frag.selectionSet, obj, fragments, limit, counter);
      counter.spreads.delete(frag.name.value);
    }
  }
}

// A validation rule (grafserv runs it for HTTP and websocket requests alike).
export function makeLimitsRule(limits) {
  return function BookingLimitsRule(context) {
    const schema = context.getSchema();
    const fragments = new Map();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const report = (message, node) => context.reportError(new GraphQLError(message, { nodes: node ? [node] : undefined }));

    // the values __schema and __type fields produce (their subtrees are not in
    // depth or cost: GraphiQL's query nests deeper than maxDepth)
    const introspection = { n: 0, spreads: new Set() };
    let introspectionOver = false;
    function introspect(sel, multiplier) {
      if (introspectionOver) return;
      try {
        for (let i = 0; i < multiplier; i++)
          countIntrospection(schema, { selections: [sel] }, null, fragments, limits.maxIntrospection, introspection);
      } catch (e) {
        if (e !== introspection) throw e;
        introspectionOver = true;
      }
    }

    // walks a selection set: returns {depth, cost}; stops adding once over a bound
    function walk(selectionSet, parentType, depth, multiplier, seen) {
      let maxDepth = depth;
      let cost = 0;
      for (const sel of selectionSet.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.name.value;
          if (name === "__schema" || name === "__type") {
            introspect(sel, multiplier);
            continue;
          }
          if (name.startsWith("__")) {
            cost += multiplier; // __typename
            continue;
          }
          const fieldDef = parentType?.getFields?.()[name];
          const type = fieldDef ? getNullableType(fieldDef.type) : null;
          let factor = 1;
          if (type && (isConnectionType(type) || (isListType(type) && sel.selectionSet))) {
            const page = pageOf(sel, limits.maxPage);
            if (page > limits.maxPage) report(`${name}: a page is at most ${limits.maxPage} rows, not ${page}`, sel);
            factor = Math.max(1, Math.min(page, limits.maxPage));
          }
          // a connection's nodes and edges are the page already counted
          const inConnection = parentType && isConnectionType(parentType) && (name === "nodes" || name === "edges");
          cost += multiplier;
          if (sel.selectionSet) {
            const child = walk(sel.selectionSet, getNamedType(fieldDef?.type), depth + 1,
              inConnection ? multiplier : multiplier * factor, seen);
            maxDepth = Math.max(maxDepth, child.depth);
            cost += child.cost;
          } else {
            maxDepth = Math.max(maxDepth, depth + 1);
          }
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parentType;
          const child = walk(sel.selectionSet, type, depth, multiplier, seen);
          maxDepth = Math.max(maxDepth, child.depth);
          cost += child.cost;
        } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue; // unknown or cyclic: other rules report it
          const type = schema.getType(frag.typeCondition.name.value);
          const child = walk(frag.selectionSet, type, depth, multiplier, new Set([...seen, frag.name.value]));
          maxDepth = Math.max(maxDepth, child.depth);
          cost += child.cost;
        }
      }
      return { depth: maxDepth, cost };
    }

    // root fields of a mutation, through fragments
    function rootFields(selectionSet, seen) {
      let n = 0;
      for (const sel of selectionSet.selections) {
        if (sel.kind === Kind.FIELD) n += sel.name.value.startsWith("__") ? 0 : 1;
        else if (sel.kind === Kind.INLINE_FRAGMENT) n += rootFields(sel.selectionSet, seen);
        else if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value) && fragments.has(sel.name.value))
          n += rootFields(fragments.get(sel.name.value).selectionSet, new Set([...seen, sel.name.value]));
      }
      return n;
    }

    return {
      OperationDefinition(op) {
        const root = op.operation === "mutation" ? schema.getMutationType()
          : op.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
        if (op.operation === "mutation") {
          const n = rootFields(op.selectionSet, new Set());
          if (n > limits.maxMutations)
            report(`a request carries at most ${limits.maxMutations} mutations, not ${n}`, op);
        }
        const { depth, cost } = walk(op.selectionSet, root, 0, 1, new Set());
        if (depth > limits.maxDepth) report(`the query is ${depth} levels deep; at most ${limits.maxDepth} are served`, op);
        if (cost > limits.maxCost)
          report(`the query could read ${cost} values; at most ${limits.maxCost} are served (ask for smaller pages)`, op);
        if (introspectionOver)
          report(`the query's introspection would produce more than ${limits.maxIntrospection} values; ` +
            `at most ${limits.maxIntrospection} are served`, op);
        return false; // nothing below needs visiting again
      },
    };
  };
}

// A page, as the query runs: first/last over maxPage are refused; without either
// the first maxPage rows are read.
function capped(maxPage, name) {
  return (n) => {
    if (n == null) return null;
    if (n > maxPage) throw new SafeError(`${name}: a page is at most ${maxPage} rows, not ${n}`);
    return n;
  };
}

export function makePagePlugin(limits) {
  const { maxPage } = limits;
  // "Type.field" → {last}: the fields whose first (and last) the plan applies;
  // graphile-build runs the field hook before the args hook, and plans run later
  const paged = new Map();
  const isPaged = (scope) => scope.isPgFieldConnection || scope.isPgFieldSimpleCollection;
  return {
    name: "BookingPagePlugin",
    version: "1.0.0",
    after: ["PgFirstLastBeforeAfterArgsPlugin"],
    schema: {
      hooks: {
        GraphQLObjectType_fields_field_args(args, build, context) {
          if (!isPaged(context.scope) || !args.first) return args;
          paged.set(`${context.Self.name}.${context.scope.fieldName}`, { last: !!args.last });
          // first and last are applied together by the field's plan (below)
          const out = { ...args, first: { ...args.first, applyPlan: undefined } };
          if (args.last) out.last = { ...args.last, applyPlan: undefined };
          return out;
        },
        GraphQLObjectType_fields_field(field, build, context) {
          const plan = field.plan ?? field.extensions?.grafast?.plan;
          if (!isPaged(context.scope) || !plan) return field;
          const key = `${context.Self.name}.${context.scope.fieldName}`;
          const checkFirst = capped(maxPage, "first");
          const checkLast = capped(maxPage, "last");
          function pagedPlan(...planArgs) {
            const $step = plan(...planArgs);
            const spec = paged.get(key);
            if (!spec) return $step;
            const fieldArgs = planArgs[1];
            const $first = fieldArgs.getRaw("first");
            if (spec.last) {
              const $last = fieldArgs.getRaw("last");
              $step.setFirst(lambda([$first, $last], ([f, l]) => (l == null ? checkFirst(f ?? maxPage) : checkFirst(f))));
              $step.setLast(lambda($last, checkLast));
            } else {
              $step.setFirst(lambda($first, (f) => checkFirst(f ?? maxPage)));
            }
            return $step;
          }
          return field.plan
            ? { ...field, plan: pagedPlan }
            : { ...field, extensions: { ...field.extensions, grafast: { ...field.extensions.grafast, plan: pagedPlan } } };
        },
      },
    },
  };
}
