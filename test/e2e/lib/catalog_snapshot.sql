-- catalog_snapshot.sql — the extension booking as the catalogs describe it, one
-- line per fact, with no OIDs, so that two databases can be compared with diff
-- (test/e2e/upgrade.sh: a 1.0 upgraded to the current version against a fresh
-- install of it). Covers every object that belongs to the extension or lies in
-- its schema: what it is, its definition (columns, types, defaults, identity,
-- constraints, indexes, function definitions with volatility, security,
-- strictness, parallel safety, configuration and body, views, triggers,
-- policies, sequences, composite types, enums, domains), owner, ACL and
-- comment, and the extension's own row (version aside) and config-dump list.
-- A table's column order is not compared, a composite type's or a view's is.
\pset format unaligned
\pset tuples_only on
\pset pager off
\pset footer off
WITH
ext AS (SELECT oid, extnamespace FROM pg_extension WHERE extname = 'booking'),
-- members of the extension, and whatever else lies in its schema
objs AS (
    SELECT d.classid, d.objid, 'member' AS how
      FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
    UNION
    SELECT 'pg_class'::regclass, c.oid, 'in schema' FROM pg_class c, ext
     WHERE c.relnamespace = ext.extnamespace
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype IN ('e', 'i', 'a'))
    UNION
    SELECT 'pg_proc'::regclass, p.oid, 'in schema' FROM pg_proc p, ext
     WHERE p.pronamespace = ext.extnamespace
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION
    SELECT 'pg_type'::regclass, t.oid, 'in schema' FROM pg_type t, ext
     WHERE t.typnamespace = ext.extnamespace
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                        AND d.deptype IN ('e', 'i'))
       AND NOT EXISTS (SELECT FROM pg_class c WHERE c.reltype = t.oid)
       AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
),
named AS (
    SELECT o.*, i.type AS kind, i.identity
      FROM objs o, pg_identify_object(o.classid, o.objid, 0) i
),
rels AS (
    SELECT c.* FROM pg_class c, ext WHERE c.relnamespace = ext.extnamespace
),
facts(fact) AS (
    SELECT 'object ' || kind || ' ' || identity || ' (' || how || ')' FROM named
    UNION ALL
    SELECT 'comment ' || n.kind || ' ' || n.identity || ': ' || d.description
      FROM named n JOIN pg_description d ON d.classoid = n.classid AND d.objoid = n.objid AND d.objsubid = 0
    UNION ALL
    SELECT 'relation ' || c.relname || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text::text
           || ' owner=' || pg_get_userbyid(c.relowner) || ' acl=' || coalesce(c.relacl::text, 'default')
           || ' options=' || coalesce(c.reloptions::text, '') || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity
           || ' replident=' || c.relreplident::text
      FROM rels c
    UNION ALL
    -- a table's column order is not compared (an upgrade can only add at the
    -- end; pg_dump and booking name columns); a composite type's or a view's is
    SELECT 'column ' || c.relname || '.' || a.attname
           || CASE WHEN c.relkind IN ('r', 'p', 'i', 'S', 't') THEN ''
                   ELSE ' #' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) END
           || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
           || CASE WHEN a.attgenerated <> '' THEN ' generated ' || a.attgenerated::text ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || coalesce(' collate ' || co.collname, '')
           || ' storage=' || a.attstorage::text
           || coalesce(' acl=' || a.attacl::text, '')
           || coalesce(' comment=' || col_description(c.oid, a.attnum), '')
      FROM rels c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
           AND co.collname <> 'default'
    UNION ALL
    SELECT 'constraint ' || coalesce(c.relname, t.typname) || ' ' || k.conname || ': ' || pg_get_constraintdef(k.oid)
           || coalesce(' comment=' || obj_description(k.oid, 'pg_constraint'), '')
      FROM pg_constraint k
      LEFT JOIN rels c ON c.oid = k.conrelid
      LEFT JOIN pg_type t ON t.oid = k.contypid
     WHERE k.connamespace = (SELECT extnamespace FROM ext)
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
           || coalesce(' comment=' || obj_description(i.indexrelid, 'pg_class'), '')
      FROM pg_index i JOIN rels c ON c.oid = i.indrelid
    UNION ALL
    SELECT 'view ' || c.relname || ': ' || pg_get_viewdef(c.oid) FROM rels c WHERE c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'sequence ' || c.relname || ' ' || format_type(s.seqtypid, NULL) || ' start=' || s.seqstart
           || ' increment=' || s.seqincrement || ' min=' || s.seqmin || ' max=' || s.seqmax
           || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
      FROM pg_sequence s JOIN rels c ON c.oid = s.seqrelid
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(tg.oid) || ' enabled=' || tg.tgenabled::text
      FROM pg_trigger tg JOIN rels c ON c.oid = tg.tgrelid WHERE NOT tg.tgisinternal
    UNION ALL
    SELECT 'policy ' || c.relname || ' ' || p.polname || ' cmd=' || p.polcmd::text || ' permissive=' || p.polpermissive
           || ' roles=' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END, ',' ORDER BY 1)
                              FROM unnest(p.polroles) r)
           || ' using=' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
           || ' check=' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
      FROM pg_policy p JOIN rels c ON c.oid = p.polrelid
    UNION ALL
    SELECT 'rule ' || pg_get_ruledef(r.oid)
      FROM pg_rewrite r JOIN rels c ON c.oid = r.ev_class WHERE r.rulename <> '_RETURN'
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ': ' || pg_get_functiondef(p.oid)
           || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(p.proacl::text, 'default')
           || ' leakproof=' || p.proleakproof || ' cost=' || p.procost || ' rows=' || p.prorows
      FROM pg_proc p, ext WHERE p.pronamespace = ext.extnamespace AND p.prokind <> 'a'
    UNION ALL
    SELECT 'aggregate ' || p.oid::regprocedure::text || ' acl=' || coalesce(p.proacl::text, 'default')
      FROM pg_proc p, ext WHERE p.pronamespace = ext.extnamespace AND p.prokind = 'a'
    UNION ALL
    SELECT 'type ' || format_type(t.oid, NULL) || ' kind=' || t.typtype::text
           || ' acl=' || coalesce(t.typacl::text, 'default') || ' owner=' || pg_get_userbyid(t.typowner)
           || coalesce(' base=' || format_type(nullif(t.typbasetype, 0), t.typtypmod), '')
           || ' notnull=' || t.typnotnull || coalesce(' default=' || t.typdefault, '')
      FROM pg_type t, ext
     WHERE t.typnamespace = ext.extnamespace AND t.typtype IN ('c', 'd', 'e', 'r', 'b', 'm')
       AND NOT EXISTS (SELECT FROM pg_class c WHERE c.reltype = t.oid AND c.relkind <> 'c')
    UNION ALL
    SELECT 'enum ' || format_type(e.enumtypid, NULL) || ' #' || row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder)
           || ' ' || e.enumlabel
      FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid, ext WHERE t.typnamespace = ext.extnamespace
    UNION ALL
    SELECT 'schema ' || n.nspname || ' owner=' || pg_get_userbyid(n.nspowner) || ' acl=' || coalesce(n.nspacl::text, 'default')
           || coalesce(' comment=' || obj_description(n.oid, 'pg_namespace'), '')
      FROM pg_namespace n, ext WHERE n.oid = ext.extnamespace
    UNION ALL
    SELECT 'extension booking relocatable=' || e.extrelocatable || ' schema=' || e.extnamespace::regnamespace
           || ' owner=' || pg_get_userbyid(e.extowner)
      FROM pg_extension e WHERE e.extname = 'booking'
    UNION ALL
    SELECT 'config-dump ' || c.cfg::regclass::text || ' where=' || coalesce(e.extcondition[c.n], '')
      FROM pg_extension e, unnest(e.extconfig) WITH ORDINALITY c(cfg, n) WHERE e.extname = 'booking'
    UNION ALL
    SELECT 'default-acl ' || d.defaclobjtype::text || ' role=' || pg_get_userbyid(d.defaclrole) || ' ' || d.defaclacl::text
      FROM pg_default_acl d, ext WHERE d.defaclnamespace = ext.extnamespace
    UNION ALL
    SELECT 'grant ' || pg_get_userbyid(m.roleid) || ' to ' || pg_get_userbyid(m.member) || ' admin=' || m.admin_option
      FROM pg_auth_members m
     WHERE pg_get_userbyid(m.roleid) LIKE 'booking%' OR pg_get_userbyid(m.member) LIKE 'booking%'
)
-- one line per fact: a function's or a view's line breaks become ⏎
SELECT replace(fact, E'\n', ' ⏎ ') AS fact FROM facts ORDER BY fact COLLATE "C";
