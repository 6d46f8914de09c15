//! Companies, contacts and leads of the demo workspace.

use std::collections::BTreeMap;

use crate::money::{Currency, Money};
use crate::time::Timestamp;
use crate::value::{Date, Value};

use super::rng::Rng;
use super::words::{self, CITIES, City, Culture, INDUSTRIES, STEMS};
use super::{
    DemoRecord, DemoSpec, Stream, TAG_AT_RISK, TAG_KEY_ACCOUNT, TAG_NEWSLETTER, TAG_PARTNER,
    TAG_VIP, ascii, digits, labeled, owner_in, phone_in, text,
};

/// A company and what its contacts, deals and activities borrow from it.
pub(crate) struct CompanyFacts {
    pub record: DemoRecord,
    pub name: String,
    pub domain: String,
    pub city: &'static City,
    pub employees: i64,
}

/// A person and the company they work for.
pub(crate) struct ContactFacts {
    pub record: DemoRecord,
    pub first: &'static str,
    pub last: &'static str,
    pub company: Option<CompanyFacts>,
}

fn pick_city(r: &mut Rng) -> &'static City {
    let weights: Vec<u32> = CITIES.iter().map(|c| c.weight).collect();
    &CITIES[r.weighted(&weights)]
}

/// A company name and a domain unique to `index`: the stem walks a permutation of the
/// stems, and each full round adds a number to the domain.
fn company_name(
    spec: &DemoSpec,
    index: u64,
    word: &str,
    city: &City,
    r: &mut Rng,
) -> (String, String) {
    let stems = STEMS.len() as u64;
    // 37 is prime and does not divide the number of stems, so this is a permutation.
    let stem = STEMS[usize::try_from((index * 37 + spec.seed) % stems).unwrap_or(0)];
    let round = index / stems;
    let legal = r.pick(city.legal_forms);
    let name = format!("{stem} {word} {legal}");
    let base = format!("{}-{}", ascii(stem), ascii(word));
    let domain = if round == 0 {
        format!("{base}.example")
    } else {
        format!("{base}-{}.example", round + 1)
    };
    (name, domain)
}

fn address(values: &mut BTreeMap<&'static str, Value>, city: &City, r: &mut Rng) {
    let (streets, number_first) = words::streets(city.culture);
    let street = r.pick(streets);
    let number = r.range(1, 180);
    let line = if number_first {
        format!("{number} {street}")
    } else {
        format!("{street} {number}")
    };
    values.insert("address.street", text(line));
    values.insert("address.city", text(city.name));
    values.insert("address.postal_code", text(digits(city.postal, r)));
    values.insert("address.region", text(city.region));
    values.insert("address.country", text(city.country));
}

fn money(amount_major: i64, currency: &str) -> Value {
    match Currency::parse("amount", currency) {
        Ok(c) => {
            let scale = 10i64.pow(u32::from(c.minor_digits()));
            Value::Money(Money {
                minor: amount_major.saturating_mul(scale),
                currency: c,
            })
        }
        Err(_) => Value::Null,
    }
}

/// Rounds to two significant figures, as people quote revenue and deal sizes.
pub(crate) fn round_figure(x: f64) -> i64 {
    if x < 1.0 {
        return 0;
    }
    let magnitude = 10f64.powi(x.log10().floor() as i32 - 1);
    ((x / magnitude).round() * magnitude) as i64
}

pub(crate) fn company_facts(spec: &DemoSpec, index: u64) -> CompanyFacts {
    let mut r = spec.rng(Stream::Company, index);
    let n = spec.size.companies.max(1);
    let rank = (index as f64 + 0.5) / n as f64;
    // The first companies are the largest: ten employees at the tail, tens of thousands at
    // the head, with noise so that sizes overlap.
    let employees = (10.0 * 5_000f64.powf(1.0 - rank) * (0.45 * r.normal()).exp()).round() as i64;
    let employees = employees.clamp(2, 400_000);
    let weights: Vec<u32> = INDUSTRIES.iter().map(|i| i.weight).collect();
    let industry = &INDUSTRIES[r.weighted(&weights)];
    let city = pick_city(&mut r);
    let word = *r.pick(industry.words);
    let (name, domain) = company_name(spec, index, word, city, &mut r);
    let created_days = r.range(30, 1_095);
    let created_at = spec.day(-created_days, &mut r);
    let updated_at = spec.day(-r.range(1, created_days.max(2) - 1), &mut r);
    // The largest quarter of accounts belongs to the enterprise team.
    let team = if rank < 0.25 { 0 } else { 1 };
    let owner = owner_in(Some(team), &mut r);

    let mut values = BTreeMap::new();
    values.insert("name", text(name.clone()));
    values.insert("domain", text(domain.clone()));
    values.insert("website", text(format!("https://www.{domain}")));
    values.insert("industry", text(industry.name));
    values.insert("employee_count", Value::Int(employees));
    let revenue =
        employees as f64 * industry.revenue_per_head as f64 * 1_000.0 * (0.3 * r.normal()).exp();
    values.insert(
        "annual_revenue",
        money(round_figure(revenue), city.currency),
    );
    values.insert("phone", text(phone_in(city, &mut r)));
    let mailbox = r.pick(&["info", "hello", "contact", "office", "sales"]);
    values.insert("email", text(format!("{mailbox}@{domain}")));
    address(&mut values, city, &mut r);
    if r.chance(0.3) {
        values.insert("description", text(*r.pick(words::COMPANY_BLURBS)));
    }
    if r.chance(0.6) {
        values.insert("external_id", text(format!("ERP-{:06}", index + 10_000)));
    }
    // A few small companies are subsidiaries of a large one.
    if rank > 0.5 && n >= 20 && r.chance(0.04) {
        let parent = r.below(n / 20);
        let parent_id = company_id(spec, parent);
        values.insert("parent_id", Value::Id(parent_id));
    }
    let mut tags = Vec::new();
    if rank < 0.05 {
        tags.push(spec.tag_id(TAG_KEY_ACCOUNT));
    }
    if r.chance(0.04) {
        tags.push(spec.tag_id(TAG_PARTNER));
    }
    if rank < 0.5 && r.chance(0.05) {
        tags.push(spec.tag_id(TAG_AT_RISK));
    }
    values.insert("tag_ids", Value::Ids(tags));
    CompanyFacts {
        record: spec.finish(
            Stream::Company,
            index,
            owner,
            created_at,
            updated_at,
            values,
        ),
        name,
        domain,
        city,
        employees,
    }
}

/// The id of company `index`, without generating the rest of it.
fn company_id(spec: &DemoSpec, index: u64) -> uuid::Uuid {
    company_facts(spec, index).record.id
}

/// Company number `index` (0-based) of the workspace; the first are the largest accounts.
pub fn company(spec: &DemoSpec, index: u64) -> DemoRecord {
    company_facts(spec, index).record
}

/// The culture of a person in `city`: mostly local, sometimes from anywhere.
fn culture_in(city: &City, r: &mut Rng) -> Culture {
    if r.chance(0.85) {
        city.culture
    } else {
        pick_city(r).culture
    }
}

fn person(culture: Culture, r: &mut Rng) -> (&'static str, &'static str) {
    let (firsts, lasts) = words::names(culture);
    (*r.pick(firsts), *r.pick(lasts))
}

fn local_part(first: &str, last: &str) -> String {
    format!("{}.{}", ascii(first), ascii(last))
}

pub(crate) fn contact_facts(spec: &DemoSpec, index: u64) -> ContactFacts {
    let mut r = spec.rng(Stream::Contact, index);
    let company = (spec.size.companies > 0 && !r.chance(0.06))
        .then(|| company_facts(spec, r.skewed(spec.size.companies, 1.6)));
    let city = company
        .as_ref()
        .map_or_else(|| pick_city(&mut r), |c| c.city);
    let culture = culture_in(city, &mut r);
    let (first, last) = person(culture, &mut r);
    let not_before = company
        .as_ref()
        .map_or(spec.today().as_micros() - 900 * super::DAY, |c| {
            c.record.created_at.as_micros()
        });
    let span_days = ((spec.today().as_micros() - not_before) / super::DAY).max(2);
    let created_at = spec.day(-r.range(1, span_days - 1), &mut r);
    let created_at = Timestamp::from_micros(created_at.as_micros().max(not_before));
    let age_days = ((spec.today().as_micros() - created_at.as_micros()) / super::DAY).max(1);
    let updated_at = spec.day(-r.range(0, age_days - 1).max(1), &mut r);
    let updated_at = updated_at.max(created_at);
    let owner = match &company {
        Some(c) if r.chance(0.85) => c.record.owner,
        _ => owner_in(None, &mut r),
    };

    let mut values = BTreeMap::new();
    values.insert("first_name", text(first));
    values.insert("last_name", text(last));
    values.insert("title", text(*r.weighted_pick(words::TITLES)));
    let mut emails = Vec::new();
    let mut phones = Vec::new();
    match &company {
        Some(c) => {
            values.insert("company_id", Value::Id(c.record.id));
            emails.push(labeled(
                format!("{}@{}", local_part(first, last), c.domain),
                "work",
                true,
            ));
            if r.chance(0.15) {
                emails.push(labeled(
                    format!("{}{}@mail.example", local_part(first, last), r.range(1, 99)),
                    "personal",
                    false,
                ));
            }
            phones.push(labeled(phone_in(city, &mut r), "work", r.chance(0.5)));
        }
        None => {
            emails.push(labeled(
                format!("{}{}@mail.example", local_part(first, last), r.range(1, 99)),
                "personal",
                true,
            ));
        }
    }
    if r.chance(0.6) {
        let primary = phones.iter().all(|p| !p.primary);
        let mut mobile = phone_in(city, &mut r);
        // Fiction ranges are small (a hundred numbers in the US): draw until it differs.
        while phones.iter().any(|p| p.value == mobile) {
            mobile = phone_in(city, &mut r);
        }
        phones.push(labeled(mobile, "mobile", primary));
    } else if let Some(p) = phones.first_mut() {
        p.primary = true;
    }
    values.insert("emails", Value::Emails(emails));
    values.insert("phones", Value::Phones(phones));
    if r.chance(0.6) {
        address(&mut values, city, &mut r);
    }
    values.insert("time_zone", text(city.time_zone));
    if culture == city.culture {
        values.insert("language", text(city.language));
    }
    if r.chance(0.3) {
        let year = spec.reference.year() - i16::try_from(r.range(24, 64)).unwrap_or(40);
        let month = i8::try_from(r.range(1, 12)).unwrap_or(1);
        let day = i8::try_from(r.range(1, 28)).unwrap_or(1);
        if let Some(d) = Date::from_ymd(year, month, day) {
            values.insert("birth_date", Value::Date(d));
        }
    }
    values.insert("source", text(*r.weighted_pick(words::SOURCES)));
    values.insert(
        "preferred_channel",
        text(*r.weighted_pick(&[("email", 6), ("phone", 3), ("in_person", 1), ("sms", 1)])),
    );
    let consent = *r.weighted_pick(&[("granted", 45), ("unknown", 45), ("withdrawn", 10)]);
    values.insert("email_consent", text(consent));
    values.insert(
        "sms_consent",
        text(*r.weighted_pick(&[("granted", 20), ("unknown", 75), ("withdrawn", 5)])),
    );
    values.insert("do_not_contact", Value::Bool(r.chance(0.02)));
    if r.chance(0.4) {
        values.insert("external_id", text(format!("P{:07}", index + 100_000)));
    }
    let mut tags = Vec::new();
    if consent == "granted" && r.chance(0.6) {
        tags.push(spec.tag_id(TAG_NEWSLETTER));
    }
    if r.chance(0.02) {
        tags.push(spec.tag_id(TAG_VIP));
    }
    values.insert("tag_ids", Value::Ids(tags));
    ContactFacts {
        record: spec.finish(
            Stream::Contact,
            index,
            owner,
            created_at,
            updated_at,
            values,
        ),
        first,
        last,
        company,
    }
}

/// Contact number `index`, working at one of the companies (large accounts have more) or,
/// for a few, at none. E-mail addresses may repeat across contacts; pass the records through
/// an [`super::EmailBook`] in index order to make them unique.
pub fn contact(spec: &DemoSpec, index: u64) -> DemoRecord {
    contact_facts(spec, index).record
}

/// Lead statuses with their weights and how many days ago such leads arrive.
const LEAD_STATUSES: &[(&str, u32, i64, i64)] = &[
    ("new", 22, 1, 14),
    ("working", 25, 3, 60),
    ("nurturing", 15, 30, 300),
    ("qualified", 10, 5, 90),
    ("unqualified", 16, 10, 400),
    ("converted", 12, 10, 500),
];

pub(crate) fn lead_facts(spec: &DemoSpec, index: u64) -> (DemoRecord, &'static str) {
    let mut r = spec.rng(Stream::Lead, index);
    let weights: Vec<u32> = LEAD_STATUSES.iter().map(|s| s.1).collect();
    let (mut status, _, min_days, max_days) = LEAD_STATUSES[r.weighted(&weights)];
    if status == "converted" && spec.size.contacts == 0 {
        status = "qualified";
    }
    let created_at = spec.day(-r.range(min_days, max_days), &mut r);
    let city = pick_city(&mut r);
    let culture = culture_in(city, &mut r);
    let mut values = BTreeMap::new();
    let mut updated_at = created_at;
    let owner;
    let first;
    if status == "converted" {
        let contact = contact_facts(spec, r.below(spec.size.contacts));
        first = contact.first;
        values.insert("first_name", text(contact.first));
        values.insert("last_name", text(contact.last));
        if let Some(Value::Emails(list)) = contact.record.values.get("emails")
            && let Some(e) = list.first()
        {
            values.insert("email", text(e.value.clone()));
        }
        if let Some(c) = &contact.company {
            values.insert("company_name", text(c.name.clone()));
            values.insert("converted_company_id", Value::Id(c.record.id));
        }
        if let Some(t) = contact.record.values.get("title") {
            values.insert("title", t.clone());
        }
        values.insert("converted_contact_id", Value::Id(contact.record.id));
        let converted_at = Timestamp::from_micros(
            created_at
                .as_micros()
                .saturating_add(r.range(2, 30) * super::DAY)
                .min(spec.today().as_micros() - 3_600_000_000),
        );
        values.insert("converted_at", Value::DateTime(converted_at));
        updated_at = converted_at;
        owner = contact.record.owner;
    } else {
        let (f, last) = person(culture, &mut r);
        first = f;
        let industry = r.pick(INDUSTRIES);
        let word = *r.pick(industry.words);
        // Leads name companies the workspace does not hold yet: their names continue the
        // companies' sequence, so domains never collide.
        let (company, domain) = company_name(spec, spec.size.companies + index, word, city, &mut r);
        values.insert("first_name", text(f));
        values.insert("last_name", text(last));
        values.insert("company_name", text(company));
        values.insert("email", text(format!("{}@{domain}", local_part(f, last))));
        if r.chance(0.5) {
            values.insert("website", text(format!("https://www.{domain}")));
        }
        values.insert("title", text(*r.weighted_pick(words::TITLES)));
        // Triage: some new leads still sit with a manager.
        owner = if status == "new" && r.chance(0.3) {
            *r.pick(&[1, 5])
        } else {
            owner_in(None, &mut r)
        };
        if status != "new" {
            let age = ((spec.today().as_micros() - created_at.as_micros()) / super::DAY).max(2);
            updated_at = spec.day(-r.range(1, age - 1), &mut r).max(created_at);
        }
    }
    if r.chance(0.7) {
        values.insert("phone", text(phone_in(city, &mut r)));
    }
    values.insert("source", text(*r.weighted_pick(words::SOURCES)));
    values.insert("status", text(status));
    let (rating, lo, hi) = match status {
        "qualified" | "converted" => {
            *r.weighted_pick(&[(("hot", 70, 100), 3), (("warm", 45, 80), 2)])
        }
        "unqualified" => ("cold", 0, 30),
        _ => *r.weighted_pick(&[
            (("hot", 65, 95), 2),
            (("warm", 35, 75), 4),
            (("cold", 5, 40), 3),
        ]),
    };
    values.insert("rating", text(rating));
    values.insert("score", Value::Int(r.range(lo, hi)));
    if r.chance(0.4) {
        values.insert("description", text(*r.pick(words::LEAD_NOTES)));
    }
    if r.chance(0.2) {
        values.insert("external_id", text(format!("WEB-{:06}", index + 500_000)));
    }
    (
        spec.finish(Stream::Lead, index, owner, created_at, updated_at, values),
        first,
    )
}

/// Lead number `index`: recent ones new, older ones worked, nurtured, disqualified or
/// converted into one of the contacts.
pub fn lead(spec: &DemoSpec, index: u64) -> DemoRecord {
    lead_facts(spec, index).0
}
