//! The SQLite and PostgreSQL schemas say the same thing: same tables, columns, storage
//! kinds, nullability, defaults, indexes and foreign keys. Each backend has its own
//! migration files, so this is what stops one of them from drifting.

use std::collections::{BTreeMap, BTreeSet};

use rapport_store::testing::TestDb;
use rapport_store::{Backend, Db};

/// How a column stores its values, in terms both backends share: SQLite declares one of
/// four storage classes where PostgreSQL has a richer type (DESIGN §4: UUIDs are BLOBs,
/// instants and booleans INTEGERs, JSON and dates TEXT).
fn kind(backend: Backend, ty: &str) -> String {
    let k = match (backend, ty) {
        (Backend::Sqlite, "blob") => "bytes",
        (Backend::Sqlite, "integer") => "integer",
        (Backend::Sqlite, "text") => "text",
        (Backend::Sqlite, "real") => "real",
        (Backend::Postgres, "uuid" | "bytea") => "bytes",
        (
            Backend::Postgres,
            "bigint" | "integer" | "smallint" | "boolean" | "timestamp with time zone",
        ) => "integer",
        (Backend::Postgres, "text" | "jsonb" | "date" | "character varying") => "text",
        (Backend::Postgres, "double precision" | "real") => "real",
        _ => return format!("unmapped type {ty:?}"),
    };
    k.to_owned()
}

/// A default as a value: PostgreSQL adds casts (`'[]'::jsonb`) and spells booleans as
/// words where SQLite keeps the literal.
fn default(value: Option<&str>) -> Option<String> {
    let v = value?.trim();
    let v = v.split("::").next().unwrap_or(v).trim();
    let v = v.trim_start_matches('(').trim_end_matches(')');
    Some(match v {
        "false" => "0".to_owned(),
        "true" => "1".to_owned(),
        other => other.to_owned(),
    })
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ColumnShape {
    name: String,
    kind: String,
    nullable: bool,
    primary_key: bool,
    default: Option<String>,
}

#[derive(Debug, Default, PartialEq)]
struct TableShape {
    columns: BTreeSet<ColumnShape>,
    /// (columns, referenced table, referenced columns)
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
    /// Indexes made with CREATE INDEX, by name; those made by UNIQUE constraints by their
    /// columns (SQLite names them itself).
    indexes: BTreeSet<(String, Vec<String>, bool, bool)>,
}

/// Columns one backend has and the other derives or does not need, and why.
const ONE_BACKEND_COLUMNS: &[(&str, &str, &str)] = &[(
    "search_docs",
    "doc_id",
    "SQLite's full-text tables need an integer rowid to point at; PostgreSQL indexes the row",
)];

/// Indexes that differ by design, and why.
const ONE_BACKEND_INDEXES: &[(&str, &str)] = &[
    (
        "search_docs_tsv_company_idx",
        "PostgreSQL's full-text GIN indexes, one per object; SQLite keeps its full-text \
         indexes in one FTS5 table per object",
    ),
    ("search_docs_tsv_contact_idx", "as above"),
    ("search_docs_tsv_lead_idx", "as above"),
    ("search_docs_tsv_opportunity_idx", "as above"),
    ("search_docs_tsv_activity_idx", "as above"),
    (
        "opportunities_amount_desc_idx",
        "PostgreSQL walks an ascending index backwards as DESC NULLS FIRST, so DESC NULLS \
         LAST needs an index of its own; SQLite sorts NULLs first and walks \
         opportunities_amount_idx backwards for the same order",
    ),
];

/// SQLite tables whose integer rowid is the primary key (FTS5 needs one to point at), with
/// the natural key, PostgreSQL's primary key, kept as a UNIQUE constraint.
const ROWID_TABLES: &[&str] = &["search_docs"];

async fn shape(db: &Db) -> BTreeMap<String, TableShape> {
    let backend = db.backend();
    let mut c = db.read().await.unwrap();
    let mut out = BTreeMap::new();
    for table in c.tables().await.unwrap() {
        let defaults: BTreeMap<String, Option<String>> = c
            .column_defaults(&table)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let mut t = TableShape::default();
        let indexes = c.indexes(&table).await.unwrap();
        let natural_key: Vec<String> =
            if backend == Backend::Sqlite && ROWID_TABLES.contains(&table.as_str()) {
                let key = indexes.iter().find(|i| i.from_constraint);
                key.map(|i| i.columns.clone()).unwrap_or_default()
            } else {
                Vec::new()
            };
        for col in c.columns(&table).await.unwrap() {
            if col.generated
                || ONE_BACKEND_COLUMNS
                    .iter()
                    .any(|(tb, cl, _)| *tb == table && *cl == col.name)
            {
                continue;
            }
            t.columns.insert(ColumnShape {
                kind: kind(backend, &col.ty),
                nullable: col.nullable,
                primary_key: col.primary_key || natural_key.contains(&col.name),
                default: default(defaults.get(&col.name).and_then(|d| d.as_deref())),
                name: col.name,
            });
        }
        for fk in c.foreign_keys(&table).await.unwrap() {
            t.foreign_keys
                .insert((fk.columns, fk.references, fk.referenced_columns));
        }
        for ix in indexes {
            if ONE_BACKEND_INDEXES.iter().any(|(n, _)| *n == ix.name)
                || (ix.from_constraint && ix.columns == natural_key)
            {
                continue;
            }
            let name = if ix.from_constraint {
                String::from("<unique constraint>")
            } else {
                ix.name
            };
            t.indexes.insert((name, ix.columns, ix.unique, ix.partial));
        }
        out.insert(table, t);
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgresql_schemas_match_table_by_table() {
    let dbs = TestDb::each("schema parity").await;
    let [sqlite, postgres] = dbs.as_slice() else {
        return; // skipped loudly by `each`; fails there under RAPPORT_REQUIRE_ALL
    };
    let a = shape(&sqlite.db).await;
    let b = shape(&postgres.db).await;
    let mut problems = Vec::new();
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        let (Some(x), Some(y)) = (a.get(name), b.get(name)) else {
            problems.push(format!(
                "table {name} exists only on {}",
                if a.contains_key(name) {
                    "SQLite"
                } else {
                    "PostgreSQL"
                }
            ));
            continue;
        };
        for c in x.columns.difference(&y.columns) {
            problems.push(format!("{name}: SQLite column {c:?} differs on PostgreSQL"));
        }
        for c in y.columns.difference(&x.columns) {
            problems.push(format!("{name}: PostgreSQL column {c:?} differs on SQLite"));
        }
        for f in x.foreign_keys.symmetric_difference(&y.foreign_keys) {
            problems.push(format!("{name}: foreign key {f:?} is on one backend only"));
        }
        for i in x.indexes.difference(&y.indexes) {
            problems.push(format!("{name}: SQLite index {i:?} is not on PostgreSQL"));
        }
        for i in y.indexes.difference(&x.indexes) {
            problems.push(format!("{name}: PostgreSQL index {i:?} is not on SQLite"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The comparison itself sees something: a schema of a handful of tables would pass
    // trivially.
    assert!(a.len() >= 20, "{:?}", a.keys());
    assert!(a.values().map(|t| t.indexes.len()).sum::<usize>() >= 20);
    assert!(a.values().map(|t| t.foreign_keys.len()).sum::<usize>() >= 20);
}

#[test]
fn storage_kinds_and_defaults_are_compared_as_values() {
    assert_eq!(
        kind(Backend::Postgres, "uuid"),
        kind(Backend::Sqlite, "blob")
    );
    assert_eq!(
        kind(Backend::Postgres, "timestamp with time zone"),
        kind(Backend::Sqlite, "integer")
    );
    assert_ne!(
        kind(Backend::Postgres, "text"),
        kind(Backend::Sqlite, "blob")
    );
    assert!(kind(Backend::Postgres, "money").starts_with("unmapped"));
    assert_eq!(default(Some("'[]'::jsonb")), default(Some("'[]'")));
    assert_eq!(default(Some("false")), default(Some("0")));
    assert_ne!(default(Some("1")), default(Some("0")));
    assert_eq!(default(None), None);
}
