//! List queries: `filter[field][op]=value`, `sort=a,-b`, `fields=a,b`, `q=`, `count=`,
//! `trashed=`, `limit=`, `cursor=`. Parsed against the field catalogue and the workspace's
//! custom fields, so nothing a client writes reaches SQL except as a bound value or as a
//! column chosen from the catalogue.

use std::fmt;

use crate::catalogue::{self, Field, Kind, ParseContext};
use crate::custom::{CustomFieldDef, CustomKind};
use crate::fold::fold;
use crate::money::Money;
use crate::object::{ObjectType, Visibility};
use crate::time::Timestamp;
use crate::value::{Date, Value};

pub const MAX_FILTERS: usize = 20;
pub const MAX_SORT_KEYS: usize = 3;
pub const MAX_IN_VALUES: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Contains,
    StartsWith,
    IsNull,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::Eq,
        Op::Ne,
        Op::Lt,
        Op::Lte,
        Op::Gt,
        Op::Gte,
        Op::In,
        Op::Contains,
        Op::StartsWith,
        Op::IsNull,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::In => "in",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::IsNull => "is_null",
        }
    }
}

/// What a filter or sort key is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Field(&'static Field),
    Custom(CustomFieldDef),
}

impl Target {
    pub fn name(&self) -> String {
        match self {
            Target::Field(f) => f.name.to_owned(),
            Target::Custom(c) => format!("custom.{}", c.key),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    One(Value),
    Many(Vec<Value>),
    /// `is_null=true` or `is_null=false`.
    Null(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub target: Target,
    pub op: Op,
    /// For folded text fields the values are already folded.
    pub operand: Operand,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub target: Target,
    pub descending: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListQuery {
    pub filters: Vec<Filter>,
    pub sort: Vec<SortKey>,
    /// Sparse fieldset; `None` means every field.
    pub fields: Option<Vec<String>>,
    pub q: Option<String>,
    pub count: bool,
    pub trashed: bool,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A malformed query parameter (400), naming it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub parameter: String,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

fn err(parameter: &str, message: impl Into<String>) -> QueryError {
    QueryError {
        parameter: parameter.to_owned(),
        message: message.into(),
    }
}

/// What the caller may see; hidden fields cannot be filtered, sorted or asked for.
pub trait Visible {
    fn visible(&self, field: &str) -> bool;
}

impl<F: Fn(&str) -> bool> Visible for F {
    fn visible(&self, field: &str) -> bool {
        self(field)
    }
}

pub struct Schema<'a> {
    pub object: ObjectType,
    pub custom: &'a [CustomFieldDef],
    pub ctx: ParseContext,
}

impl Schema<'_> {
    fn target(&self, name: &str, param: &str, visible: &dyn Visible) -> Result<Target, QueryError> {
        if !visible.visible(name) {
            return Err(err(
                param,
                format!("{name} is not a field of {}", self.object.plural()),
            ));
        }
        if let Some(key) = name.strip_prefix("custom.") {
            return self
                .custom
                .iter()
                .find(|c| c.key == key)
                .cloned()
                .map(Target::Custom)
                .ok_or_else(|| err(param, format!("there is no custom field {key}")));
        }
        catalogue::find(self.object, name)
            .map(Target::Field)
            .ok_or_else(|| {
                err(
                    param,
                    format!("{name} is not a field of {}", self.object.plural()),
                )
            })
    }
}

fn parse_bool(param: &str, raw: &str) -> Result<bool, QueryError> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(err(param, "must be true or false")),
    }
}

/// Parses one filter value of a catalogue field.
fn field_value(
    field: &Field,
    raw: &str,
    param: &str,
    ctx: &ParseContext,
) -> Result<Value, QueryError> {
    let bad = |m: &str| err(param, m.to_owned());
    let raw = raw.trim();
    Ok(match field.kind {
        Kind::Text { .. } | Kind::LongText { .. } => Value::Text(if field.folded() {
            fold(raw)
        } else {
            raw.to_owned()
        }),
        Kind::Email | Kind::Domain => Value::Text(raw.to_lowercase()),
        Kind::Url => Value::Text(raw.to_owned()),
        Kind::Phone => Value::Text(
            raw.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
        ),
        Kind::Integer { .. } => Value::Int(raw.parse().map_err(|_| bad("must be a whole number"))?),
        Kind::Money => Value::Money(Money::parse(field.name, raw, ctx.base_currency).map_err(
            |_| {
                bad(&format!(
                    "must be an amount in {} such as 1000.00",
                    ctx.base_currency
                ))
            },
        )?),
        Kind::Date => Value::Date(
            Date::parse(field.name, raw).map_err(|_| bad("must be a date as YYYY-MM-DD"))?,
        ),
        Kind::DateTime => Value::DateTime(
            Timestamp::parse_rfc3339(raw)
                .or_else(|_| {
                    Date::parse(field.name, raw).map(|d| {
                        Timestamp::parse_rfc3339(&format!("{d}T00:00:00Z"))
                            .unwrap_or(Timestamp::UNIX_EPOCH)
                    })
                })
                .map_err(|_| bad("must be a date-time such as 2026-11-23T10:00:00Z, or a date"))?,
        ),
        Kind::Bool => Value::Bool(parse_bool(param, raw)?),
        Kind::Enum(options) => {
            if options.contains(&raw) {
                Value::Text(raw.to_owned())
            } else {
                return Err(bad(&format!("must be one of {}", options.join(", "))));
            }
        }
        Kind::Visibility => Value::Text(
            raw.parse::<Visibility>()
                .map_err(|_| bad("must be private, team or workspace"))?
                .as_str()
                .to_owned(),
        ),
        Kind::Country => Value::Text(raw.to_ascii_uppercase()),
        Kind::Language => Value::Text(raw.to_ascii_lowercase()),
        Kind::TimeZone => Value::Text(raw.to_owned()),
        Kind::Ref(_) | Kind::UserRef | Kind::Id | Kind::Tags => {
            Value::Id(uuid::Uuid::try_parse(raw).map_err(|_| bad("must be an id (a UUID)"))?)
        }
        Kind::Emails | Kind::Phones | Kind::Links | Kind::Roles(_) => {
            return Err(bad("cannot be filtered"));
        }
    })
}

fn custom_value(def: &CustomFieldDef, raw: &str, param: &str) -> Result<Value, QueryError> {
    let raw = raw.trim();
    Ok(match def.kind {
        CustomKind::Text => Value::Text(fold(raw)),
        CustomKind::Select => Value::Text(raw.to_owned()),
        CustomKind::Number => {
            let n: f64 = raw.parse().map_err(|_| err(param, "must be a number"))?;
            if !n.is_finite() {
                return Err(err(param, "must be a number"));
            }
            Value::Text(raw.to_owned())
        }
        CustomKind::Date => Value::Date(
            Date::parse(param, raw).map_err(|_| err(param, "must be a date as YYYY-MM-DD"))?,
        ),
        CustomKind::Bool => Value::Bool(parse_bool(param, raw)?),
    })
}

fn custom_ops(kind: CustomKind) -> &'static [Op] {
    use Op::*;
    match kind {
        CustomKind::Text => &[Eq, Ne, In, Contains, StartsWith, IsNull],
        CustomKind::Select => &[Eq, Ne, In, IsNull],
        CustomKind::Number | CustomKind::Date => &[Eq, Ne, Lt, Lte, Gt, Gte, In, IsNull],
        CustomKind::Bool => &[Eq, Ne, IsNull],
    }
}

/// `filter[address.city][eq]` → ("address.city", "eq").
fn split_filter_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("filter[")?;
    let (field, rest) = rest.split_once("][")?;
    let op = rest.strip_suffix(']')?;
    Some((field, op))
}

pub fn parse(
    schema: &Schema<'_>,
    params: &[(String, String)],
    visible: &dyn Visible,
) -> Result<ListQuery, QueryError> {
    let mut q = ListQuery::default();
    let mut filters = 0;
    let mut seen: Vec<&str> = Vec::new();
    for (key, raw) in params {
        if !key.starts_with("filter[") {
            if seen.contains(&key.as_str()) {
                return Err(err(key, "appears more than once"));
            }
            seen.push(key);
        }
        match key.as_str() {
            "limit" => {
                q.limit = Some(
                    raw.trim()
                        .parse()
                        .map_err(|_| err(key, "must be a whole number from 1 to 200"))?,
                )
            }
            "cursor" => q.cursor = Some(raw.clone()),
            "q" => {
                let text = raw.trim();
                if text.chars().count() > 200 {
                    return Err(err(key, "must be at most 200 characters"));
                }
                q.q = (!text.is_empty()).then(|| text.to_owned());
            }
            "count" => q.count = parse_bool(key, raw)?,
            "trashed" => q.trashed = parse_bool(key, raw)?,
            "fields" => {
                let mut names = Vec::new();
                for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let name = name
                        .strip_prefix("custom.")
                        .map_or(name.to_owned(), |k| format!("custom.{k}"));
                    if name == "custom" {
                        names.push(name);
                        continue;
                    }
                    let top = name.split('.').next().unwrap_or_default();
                    let known = catalogue::find(schema.object, &name).is_some()
                        || catalogue::all_fields(schema.object)
                            .any(|f| f.name.split('.').next() == Some(top) && f.name.contains('.'))
                        || schema
                            .custom
                            .iter()
                            .any(|c| format!("custom.{}", c.key) == name);
                    if !known || !visible.visible(&name) {
                        return Err(err(
                            key,
                            format!("{name} is not a field of {}", schema.object.plural()),
                        ));
                    }
                    names.push(name);
                }
                q.fields = Some(names);
            }
            "sort" => {
                for part in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let (descending, name) = match part.strip_prefix('-') {
                        Some(n) => (true, n),
                        None => (false, part),
                    };
                    let target = schema.target(name, key, visible)?;
                    if let Target::Field(f) = &target
                        && !f.sort
                    {
                        return Err(err(key, format!("cannot sort by {name}")));
                    }
                    if q.sort.iter().any(|s| s.target.name() == target.name()) {
                        return Err(err(key, format!("sorts by {name} twice")));
                    }
                    q.sort.push(SortKey { target, descending });
                }
                if q.sort.len() > MAX_SORT_KEYS {
                    return Err(err(key, format!("at most {MAX_SORT_KEYS} sort keys")));
                }
            }
            _ if key.starts_with("filter[") => {
                filters += 1;
                if filters > MAX_FILTERS {
                    return Err(err(key, format!("at most {MAX_FILTERS} filters")));
                }
                let (name, op_name) = split_filter_key(key)
                    .ok_or_else(|| err(key, "must look like filter[field][op]"))?;
                let op = Op::ALL
                    .into_iter()
                    .find(|o| o.as_str() == op_name)
                    .ok_or_else(|| err(key, format!("{op_name} is not an operator; use eq, ne, lt, lte, gt, gte, in, contains, starts_with or is_null")))?;
                let target = schema.target(name, key, visible)?;
                let allowed = match &target {
                    Target::Field(f) if !f.filter => {
                        return Err(err(key, format!("cannot filter by {name}")));
                    }
                    Target::Field(f) => f.operators(),
                    Target::Custom(c) => custom_ops(c.kind),
                };
                if !allowed.contains(&op) {
                    let names: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
                    return Err(err(key, format!("{name} takes {}", names.join(", "))));
                }
                let one = |text: &str| match &target {
                    Target::Field(f) => field_value(f, text, key, &schema.ctx),
                    Target::Custom(c) => custom_value(c, text, key),
                };
                let operand = match op {
                    Op::IsNull => Operand::Null(parse_bool(key, raw)?),
                    Op::In => {
                        let parts: Vec<&str> = raw.split(',').collect();
                        if parts.len() > MAX_IN_VALUES {
                            return Err(err(key, format!("at most {MAX_IN_VALUES} values")));
                        }
                        Operand::Many(parts.into_iter().map(one).collect::<Result<_, _>>()?)
                    }
                    _ => Operand::One(one(raw)?),
                };
                q.filters.push(Filter {
                    target,
                    op,
                    operand,
                });
            }
            _ => return Err(err(key, "is not a query parameter of this list")),
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn schema<'a>(custom: &'a [CustomFieldDef]) -> Schema<'a> {
        Schema {
            object: ObjectType::Contact,
            custom,
            ctx: ParseContext {
                base_currency: Currency::parse("c", "EUR").unwrap_or_else(|e| panic!("{e}")),
            },
        }
    }

    fn run(params: &[(&str, &str)]) -> Result<ListQuery, QueryError> {
        let custom = vec![CustomFieldDef {
            key: "tier".into(),
            kind: CustomKind::Select,
            required: false,
            options: vec!["gold".into()],
        }];
        let owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let hide_birth = |f: &str| f != "birth_date";
        parse(&schema(&custom), &owned, &hide_birth)
    }

    #[test]
    fn good_queries_parse() {
        let q = run(&[
            ("filter[last_name][starts_with]", "Łuk"),
            ("filter[address.city][in]", "Kraków,Lviv"),
            ("filter[custom.tier][eq]", "gold"),
            ("filter[created_at][gte]", "2026-01-01"),
            ("filter[email][is_null]", "false"),
            ("sort", "last_name,-created_at"),
            ("fields", "first_name,last_name,address,custom.tier"),
            ("q", "  kowal "),
            ("count", "true"),
            ("limit", "500"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.filters.len(), 5);
        assert_eq!(
            q.filters[0].operand,
            Operand::One(Value::Text("luk".into()))
        );
        assert_eq!(
            q.filters[1].operand,
            Operand::Many(vec![
                Value::Text("krakow".into()),
                Value::Text("lviv".into())
            ])
        );
        assert_eq!(q.sort.len(), 2);
        assert!(q.sort[1].descending);
        assert_eq!(q.q.as_deref(), Some("kowal"));
        assert_eq!(q.limit, Some(500));
    }

    #[test]
    fn bad_queries_name_the_parameter() {
        let twenty_one: Vec<(String, String)> = (0..21)
            .map(|i| ("filter[first_name][eq]".to_owned(), format!("n{i}")))
            .collect();
        let refs: Vec<(&str, &str)> = twenty_one
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (
                vec![("filter[last_name][like]", "x")],
                "filter[last_name][like]",
            ),
            (vec![("filter[password][eq]", "x")], "filter[password][eq]"),
            (
                vec![("filter[birth_date][eq]", "2000-01-01")],
                "filter[birth_date][eq]",
            ),
            (vec![("filter[emails][eq]", "x")], "filter[emails][eq]"),
            (
                vec![("filter[do_not_contact][contains]", "x")],
                "filter[do_not_contact][contains]",
            ),
            (
                vec![("filter[created_at][gt]", "yesterday")],
                "filter[created_at][gt]",
            ),
            (
                vec![("filter[owner_id][eq]", "1 OR 1=1")],
                "filter[owner_id][eq]",
            ),
            (
                vec![("filter[custom.nope][eq]", "x")],
                "filter[custom.nope][eq]",
            ),
            (vec![("filter[source][eq]", "pigeon")], "filter[source][eq]"),
            (vec![("filter[last_name]", "x")], "filter[last_name]"),
            (vec![("sort", "description")], "sort"),
            (vec![("sort", "last_name;DROP TABLE contacts")], "sort"),
            (vec![("sort", "a,b,c,d")], "sort"),
            (vec![("fields", "password_hash")], "fields"),
            (vec![("limit", "-1")], "limit"),
            (vec![("count", "yes")], "count"),
            (vec![("order", "asc")], "order"),
            (vec![("limit", "1"), ("limit", "2")], "limit"),
            (refs, "filter[first_name][eq]"),
        ];
        for (params, parameter) in cases {
            let got = run(&params);
            assert_eq!(
                got.as_ref().err().map(|e| e.parameter.as_str()),
                Some(parameter),
                "{params:?}: {got:?}"
            );
        }
    }
}
