use std::collections::{BTreeMap, HashMap, HashSet};

use proptest::prelude::*;
use serde_json::{Map, Value as Json};
use uuid::Uuid;

use super::*;
use crate::catalogue::{self, Access, ParseContext};
use crate::money::Currency;
use crate::pipeline::{DEFAULT_STAGES, StageKind};
use crate::record::{self, FieldAccess, Mode};

fn reference() -> Date {
    Date::from_ymd(2026, 11, 23).unwrap()
}

fn standard() -> DemoSpec {
    DemoSpec::standard(DEFAULT_SEED, reference())
}

struct Dataset {
    companies: Vec<DemoRecord>,
    contacts: Vec<DemoRecord>,
    leads: Vec<DemoRecord>,
    opportunities: Vec<DemoOpportunity>,
    activities: Vec<DemoRecord>,
}

fn generate(spec: &DemoSpec) -> Dataset {
    let mut book = EmailBook::new();
    Dataset {
        companies: (0..spec.size.companies).map(|i| company(spec, i)).collect(),
        contacts: (0..spec.size.contacts)
            .map(|i| {
                let mut c = contact(spec, i);
                book.claim(&mut c);
                c
            })
            .collect(),
        leads: (0..spec.size.leads).map(|i| lead(spec, i)).collect(),
        opportunities: (0..spec.size.opportunities)
            .map(|i| opportunity(spec, i))
            .collect(),
        activities: (0..spec.size.activities)
            .filter_map(|i| activity(spec, i))
            .collect(),
    }
}

impl Dataset {
    fn all(&self) -> impl Iterator<Item = &DemoRecord> {
        self.companies
            .iter()
            .chain(&self.contacts)
            .chain(&self.leads)
            .chain(self.opportunities.iter().map(|o| &o.record))
            .chain(&self.activities)
    }
}

fn ids(records: &[DemoRecord]) -> HashSet<Uuid> {
    records.iter().map(|r| r.id).collect()
}

fn text_of<'a>(r: &'a DemoRecord, field: &str) -> &'a str {
    r.values.get(field).and_then(Value::as_text).unwrap_or("")
}

#[test]
fn the_default_pipeline_is_four_open_stages_then_won_then_lost() {
    let kinds: Vec<StageKind> = DEFAULT_STAGES.iter().map(|s| s.1).collect();
    assert_eq!(
        kinds,
        [
            StageKind::Open,
            StageKind::Open,
            StageKind::Open,
            StageKind::Open,
            StageKind::Won,
            StageKind::Lost
        ]
    );
}

#[test]
fn the_same_seed_and_date_give_the_same_workspace() {
    let a = generate(&standard());
    let b = generate(&standard());
    assert!(a.all().eq(b.all()));
    assert_eq!(a.opportunities, b.opportunities);
}

#[test]
fn another_seed_or_date_gives_another_workspace() {
    let base = standard();
    let other_seed = DemoSpec { seed: 7, ..base };
    let other_day = DemoSpec {
        reference: Date::from_ymd(2027, 3, 1).unwrap(),
        ..base
    };
    assert_ne!(contact(&base, 5), contact(&other_seed, 5));
    assert_ne!(opportunity(&base, 5), opportunity(&other_day, 5));
}

#[test]
fn the_standard_workspace_has_the_promised_counts() {
    let d = generate(&standard());
    assert_eq!(d.companies.len(), 200);
    assert_eq!(d.contacts.len(), 1_000);
    assert_eq!(d.leads.len(), 300);
    assert_eq!(d.opportunities.len(), 400);
    assert_eq!(d.activities.len(), 3_000);
    let all: Vec<Uuid> = d.all().map(|r| r.id).collect();
    let unique: HashSet<&Uuid> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "ids repeat");
}

/// Writable values must parse back to themselves through the API's own parser, so the demo
/// never stores what a client could not.
#[test]
fn every_writable_value_parses_back_through_the_catalogue() {
    let d = generate(&standard());
    let ctx = ParseContext {
        base_currency: Currency::parse("c", "EUR").unwrap(),
    };
    for rec in d.all() {
        let mut body = Map::new();
        let mut expected = BTreeMap::new();
        for (name, value) in &rec.values {
            let field = catalogue::find(rec.object, name).unwrap();
            if field.access == Access::System {
                continue;
            }
            body.insert((*name).to_owned(), value.to_json());
            expected.insert(*name, value.clone());
        }
        // Address parts arrive as one object, as clients send them.
        let mut grouped = Map::new();
        let mut address = Map::new();
        for (k, v) in body {
            match k.strip_prefix("address.") {
                Some(part) => {
                    address.insert(part.to_owned(), v);
                }
                None => {
                    grouped.insert(k, v);
                }
            }
        }
        if !address.is_empty() {
            grouped.insert("address".to_owned(), Json::Object(address));
        }
        let parsed = record::parse_body(rec.object, &grouped, Mode::Create, &[], &ctx, &|_| {
            FieldAccess::ReadWrite
        })
        .unwrap_or_else(|e| panic!("{:?} {}: {e:?}", rec.object, rec.id));
        assert_eq!(parsed.values, expected, "{:?} {}", rec.object, rec.id);
        let get = |f: &str| rec.values.get(f).cloned().unwrap_or(Value::Null);
        assert!(record::validate(rec.object, &get).is_empty(), "{rec:?}");
    }
}

#[test]
fn every_reference_points_at_a_generated_record() {
    let d = generate(&standard());
    let companies = ids(&d.companies);
    let contacts = ids(&d.contacts);
    let leads = ids(&d.leads);
    let opportunities: HashSet<Uuid> = d.opportunities.iter().map(|o| o.record.id).collect();
    let tags: HashSet<Uuid> = (0..TAGS.len()).map(|t| standard().tag_id(t)).collect();
    for rec in d.all() {
        for (name, value) in &rec.values {
            match (*name, value) {
                ("company_id" | "parent_id" | "converted_company_id", Value::Id(id)) => {
                    assert!(companies.contains(id), "{name} of {rec:?}");
                }
                ("converted_contact_id", Value::Id(id)) => assert!(contacts.contains(id)),
                ("contacts", Value::Roles(roles)) => {
                    assert!(roles.iter().all(|r| contacts.contains(&r.id)));
                }
                ("tag_ids", Value::Ids(list)) => assert!(list.iter().all(|t| tags.contains(t))),
                ("links", Value::Links(links)) => {
                    assert!(!links.is_empty());
                    for l in links {
                        let pool = match l.object {
                            ObjectType::Company => &companies,
                            ObjectType::Contact => &contacts,
                            ObjectType::Lead => &leads,
                            ObjectType::Opportunity => &opportunities,
                            ObjectType::Activity => panic!("activity linked to an activity"),
                        };
                        assert!(pool.contains(&l.id), "{l:?}");
                    }
                }
                _ => {}
            }
        }
        assert!(rec.owner < USERS.len());
        assert!(USERS[rec.owner].weight > 0 || USERS[rec.owner].role == Role::Manager);
    }
}

#[test]
fn nothing_is_created_after_the_reference_date() {
    let spec = standard();
    let end_of_today = spec.today().as_micros() + DAY;
    for rec in generate(&spec).all() {
        assert!(rec.created_at <= rec.updated_at, "{rec:?}");
        assert!(rec.updated_at.as_micros() < end_of_today, "{rec:?}");
        for field in [
            "completed_at",
            "converted_at",
            "closed_at",
            "stage_changed_at",
        ] {
            if let Some(Value::DateTime(t)) = rec.values.get(field) {
                assert!(t.as_micros() < end_of_today, "{field} of {rec:?}");
                assert!(*t >= rec.created_at, "{field} before creation in {rec:?}");
            }
        }
    }
}

#[test]
fn contact_emails_are_unique_once_claimed() {
    let d = generate(&standard());
    let mut seen = HashSet::new();
    for c in &d.contacts {
        if let Some(Value::Emails(list)) = c.values.get("emails") {
            for e in list {
                assert!(seen.insert(e.value.clone()), "{} repeats", e.value);
            }
        }
    }
}

#[test]
fn the_email_book_numbers_repeated_addresses() {
    let mut book = EmailBook::new();
    assert_eq!(book.unique("anna@x.example"), "anna@x.example");
    assert_eq!(book.unique("anna@x.example"), "anna2@x.example");
    assert_eq!(book.unique("anna@x.example"), "anna3@x.example");
    assert_eq!(book.unique("anna2@x.example"), "anna22@x.example");
}

#[test]
fn tasks_are_due_today_overdue_and_upcoming() {
    let spec = standard();
    let d = generate(&spec);
    let today = spec.today().as_micros();
    let open: Vec<i64> = d
        .activities
        .iter()
        .filter(|a| text_of(a, "status") == "open")
        .filter_map(|a| match a.values.get("due_at") {
            Some(Value::DateTime(t)) => Some(t.as_micros()),
            _ => None,
        })
        .collect();
    let due_today = open
        .iter()
        .filter(|t| (today..today + DAY).contains(*t))
        .count();
    let overdue = open.iter().filter(|t| **t < today).count();
    let upcoming = open.iter().filter(|t| **t >= today + DAY).count();
    assert!(due_today >= 30, "{due_today} due today");
    assert!(overdue >= 60, "{overdue} overdue");
    assert!(upcoming >= 60, "{upcoming} upcoming");
    let done = d
        .activities
        .iter()
        .filter(|a| text_of(a, "status") == "done")
        .count();
    assert!(done > d.activities.len() / 2);
    // Every user who sells has something due today or overdue.
    for (i, u) in USERS
        .iter()
        .enumerate()
        .filter(|(_, u)| u.role == Role::Rep)
    {
        let theirs = d
            .activities
            .iter()
            .filter(|a| a.owner == i && text_of(a, "status") == "open")
            .count();
        assert!(theirs > 0, "{} has no open activities", u.name);
    }
}

#[test]
fn deals_spread_over_every_stage_and_mostly_end_lost() {
    let d = generate(&standard());
    let mut by_stage: HashMap<usize, usize> = HashMap::new();
    for o in &d.opportunities {
        *by_stage.entry(o.stage).or_default() += 1;
    }
    for stage in 0..DEFAULT_STAGES.len() {
        assert!(
            by_stage.get(&stage).copied().unwrap_or(0) >= 10,
            "{by_stage:?}"
        );
    }
    let won = by_stage[&4] as f64;
    let lost = by_stage[&5] as f64;
    let rate = won / (won + lost);
    assert!((0.15..0.5).contains(&rate), "win rate {rate}");
}

#[test]
fn deal_sizes_are_skewed_not_uniform() {
    let d = generate(&standard());
    let mut amounts: Vec<i64> = d
        .opportunities
        .iter()
        .filter_map(|o| match o.record.values.get("amount") {
            Some(Value::Money(m)) => Some(m.minor),
            _ => None,
        })
        .collect();
    amounts.sort_unstable();
    let median = amounts[amounts.len() / 2];
    let top = amounts[amounts.len() - 1];
    assert!(top > median * 10, "median {median}, top {top}");
    let total: i64 = amounts.iter().sum();
    let top_decile: i64 = amounts[amounts.len() * 9 / 10..].iter().sum();
    assert!(top_decile * 3 > total, "top 10% hold under a third");
}

#[test]
fn a_few_large_accounts_hold_many_contacts() {
    let d = generate(&standard());
    let top: HashSet<Uuid> = d.companies[..20].iter().map(|c| c.id).collect();
    let at_top = d
        .contacts
        .iter()
        .filter(|c| matches!(c.values.get("company_id"), Some(Value::Id(id)) if top.contains(id)))
        .count();
    assert!(
        at_top > 200,
        "{at_top} of 1000 contacts at the 20 largest accounts"
    );
}

#[test]
fn stage_moves_chain_from_creation_to_the_current_stage() {
    for o in generate(&standard()).opportunities {
        let first = o.moves.first().unwrap();
        assert_eq!((first.from, first.to), (None, 0));
        assert_eq!(first.at, o.record.created_at);
        for pair in o.moves.windows(2) {
            assert_eq!(pair[1].from, Some(pair[0].to));
            assert!(pair[1].at >= pair[0].at);
        }
        assert_eq!(o.moves.last().unwrap().to, o.stage);
        let kind = text_of(&o.record, "stage_kind");
        assert_eq!(kind, DEFAULT_STAGES[o.stage].1.as_str());
        assert_eq!(o.record.values.contains_key("closed_at"), o.stage >= 4);
    }
}

#[test]
fn both_teams_own_records_and_the_read_only_user_owns_none() {
    let d = generate(&standard());
    let mut by_team = [0usize; 2];
    for rec in d.all() {
        let u = &USERS[rec.owner];
        assert_ne!(u.role, Role::ReadOnly);
        if let Some(t) = u.team {
            by_team[t] += 1;
        }
    }
    assert!(by_team.iter().all(|n| *n > 500), "{by_team:?}");
}

#[test]
fn demo_users_have_valid_unique_logins() {
    let mut logins = HashSet::new();
    for u in USERS {
        let email = format!("{}@{USER_DOMAIN}", u.login);
        assert!(
            crate::EmailAddress::parse("email", &email).is_ok(),
            "{email}"
        );
        assert!(logins.insert(u.login));
        assert!(u.team.is_none_or(|t| t < TEAMS.len()));
    }
    assert_eq!(USERS[0].role, Role::Admin);
}

#[test]
fn scaled_sizes_keep_the_proportions() {
    let s = DemoSize::for_contacts(1_000_000);
    assert_eq!(s.companies, 200_000);
    assert_eq!(s.activities, 3_000_000);
    assert_eq!(DemoSize::for_contacts(1_000).total(), 4_900);
}

#[test]
fn company_domains_stay_unique_far_beyond_the_stem_list() {
    let spec = DemoSpec {
        size: DemoSize::for_contacts(20_000),
        ..standard()
    };
    let mut seen = HashSet::new();
    for i in 0..spec.size.companies {
        let c = company(&spec, i);
        assert!(seen.insert(text_of(&c, "domain").to_owned()), "company {i}");
    }
    for i in 0..spec.size.leads {
        let l = lead(&spec, i);
        if text_of(&l, "status") != "converted" {
            let domain = text_of(&l, "email").split('@').nth(1).unwrap().to_owned();
            assert!(seen.insert(domain), "lead {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_seed_date_and_size_gives_consistent_records(
        seed in any::<u64>(),
        days in 0i64..4_000,
        companies in 0u64..30,
        contacts in 0u64..60,
        leads in 0u64..30,
        opportunities in 0u64..30,
        activities in 0u64..80,
    ) {
        let reference = Date::of(Timestamp::from_micros(
            Date::from_ymd(2020, 1, 1).unwrap().start_utc().as_micros() + days * DAY,
        ));
        let spec = DemoSpec {
            seed,
            reference,
            size: DemoSize { companies, contacts, leads, opportunities, activities },
        };
        let d = generate(&spec);
        let companies = ids(&d.companies);
        let contacts = ids(&d.contacts);
        let end = spec.today().as_micros() + DAY;
        for rec in d.all() {
            prop_assert!(rec.created_at <= rec.updated_at);
            prop_assert!(rec.updated_at.as_micros() < end);
            for (name, value) in &rec.values {
                if let ("company_id" | "parent_id" | "converted_company_id", Value::Id(id)) =
                    (*name, value)
                {
                    prop_assert!(companies.contains(id));
                }
                if let ("converted_contact_id", Value::Id(id)) = (*name, value) {
                    prop_assert!(contacts.contains(id));
                }
            }
            let get = |f: &str| rec.values.get(f).cloned().unwrap_or(Value::Null);
            prop_assert!(record::validate(rec.object, &get).is_empty());
        }
        // Without anything to link to, there are no activities.
        if spec.size.contacts + spec.size.leads + spec.size.opportunities == 0 {
            prop_assert!(d.activities.is_empty());
        }
    }
}
