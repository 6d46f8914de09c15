//! The demo workspace as data: who works there, and every company, contact, lead,
//! opportunity and activity, generated from a seed and a reference date.
//!
//! Each record is a pure function of (seed, reference date, sizes, index), so the same
//! arguments give the same workspace on every machine, any record can be produced alone
//! (a contact looks up its company by index), and a bench dataset of a million contacts
//! streams in constant memory. The shapes follow what real CRMs hold rather than uniform
//! noise: a few large accounts with most contacts and deals, log-normal deal sizes, deals
//! that age through stages and mostly end lost, tasks due today and overdue.

mod people;
mod rng;
mod sales;
mod words;

use std::collections::{BTreeMap, HashSet};

use uuid::Uuid;

use crate::Role;
use crate::fold::fold;
use crate::object::{ObjectType, Visibility};
use crate::time::Timestamp;
use crate::value::{Date, Labeled, Value};

pub use self::people::{company, contact, lead};
pub use self::sales::{activity, opportunity};

use self::rng::Rng;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoSpec {
    pub seed: u64,
    /// "Today" in the data: tasks fall due on it, nothing is created after it.
    pub reference: Date,
    pub size: DemoSize,
}

/// How many records of each object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoSize {
    pub companies: u64,
    pub contacts: u64,
    pub leads: u64,
    pub opportunities: u64,
    pub activities: u64,
}

impl DemoSize {
    /// The workspace `rapport demo` and `serve --demo` create.
    pub const STANDARD: DemoSize = DemoSize {
        companies: 200,
        contacts: 1_000,
        leads: 300,
        opportunities: 400,
        activities: 3_000,
    };

    /// The standard proportions around `contacts` contacts (bench datasets).
    pub fn for_contacts(contacts: u64) -> DemoSize {
        DemoSize {
            companies: (contacts / 5).max(1),
            contacts,
            leads: contacts * 3 / 10,
            opportunities: contacts * 2 / 5,
            activities: contacts * 3,
        }
    }

    pub fn total(&self) -> u64 {
        self.companies + self.contacts + self.leads + self.opportunities + self.activities
    }
}

pub const DEFAULT_SEED: u64 = 20_260_101;

/// A user of the demo workspace. The first is the admin the workspace is created with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoUser {
    pub name: &'static str,
    /// The part of the e-mail address before `@`.
    pub login: &'static str,
    pub role: Role,
    /// Index into [`TEAMS`].
    pub team: Option<usize>,
    /// How much of the book this user owns, relative to the others in the team.
    pub weight: u32,
    pub locale: &'static str,
    pub time_zone: &'static str,
}

pub struct DemoTeam {
    pub name: &'static str,
}

pub const TEAMS: &[DemoTeam] = &[
    DemoTeam { name: "Enterprise" },
    DemoTeam { name: "Mid-Market" },
];

const fn user(
    name: &'static str,
    login: &'static str,
    role: Role,
    team: Option<usize>,
    weight: u32,
    locale: &'static str,
    time_zone: &'static str,
) -> DemoUser {
    DemoUser {
        name,
        login,
        role,
        team,
        weight,
        locale,
        time_zone,
    }
}

pub const USERS: &[DemoUser] = &[
    user(
        "Demo Admin",
        "admin",
        Role::Admin,
        None,
        0,
        "en",
        "Europe/Berlin",
    ),
    user(
        "Maria Jensen",
        "maria.jensen",
        Role::Manager,
        Some(0),
        2,
        "en",
        "Europe/Copenhagen",
    ),
    user(
        "Tomás Ribeiro",
        "tomas.ribeiro",
        Role::Rep,
        Some(0),
        6,
        "en",
        "Europe/Lisbon",
    ),
    user(
        "Aisha Khan",
        "aisha.khan",
        Role::Rep,
        Some(0),
        5,
        "en",
        "Europe/London",
    ),
    user(
        "Jonas Weber",
        "jonas.weber",
        Role::Rep,
        Some(0),
        3,
        "de",
        "Europe/Berlin",
    ),
    user(
        "Chloé Martin",
        "chloe.martin",
        Role::Manager,
        Some(1),
        2,
        "fr",
        "Europe/Paris",
    ),
    user(
        "Kenji Watanabe",
        "kenji.watanabe",
        Role::Rep,
        Some(1),
        6,
        "en",
        "Europe/Berlin",
    ),
    user(
        "Olivia Brown",
        "olivia.brown",
        Role::Rep,
        Some(1),
        4,
        "en",
        "America/New_York",
    ),
    user(
        "Piotr Nowak",
        "piotr.nowak",
        Role::Rep,
        Some(1),
        3,
        "pl",
        "Europe/Warsaw",
    ),
    user(
        "Sofia Rossi",
        "sofia.rossi",
        Role::ReadOnly,
        None,
        0,
        "en",
        "Europe/Rome",
    ),
];

/// The domain of every demo user's e-mail address (RFC 2606: never a real mailbox).
pub const USER_DOMAIN: &str = "rapport.test";

/// Tags of the demo workspace: name and colour.
pub const TAGS: &[(&str, &str)] = &[
    ("Key account", "#1d4ed8"),
    ("Newsletter", "#059669"),
    ("VIP", "#b45309"),
    ("Partner", "#7c3aed"),
    ("At risk", "#dc2626"),
];
const TAG_KEY_ACCOUNT: usize = 0;
const TAG_NEWSLETTER: usize = 1;
const TAG_VIP: usize = 2;
const TAG_PARTNER: usize = 3;
const TAG_AT_RISK: usize = 4;

/// A generated record: its values as the store takes them, without `owner_id`, which the
/// caller fills in from `owner` (an index into [`USERS`]) once the users exist.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoRecord {
    pub object: ObjectType,
    pub id: Uuid,
    pub owner: usize,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub values: BTreeMap<&'static str, Value>,
}

/// An opportunity, the stage it is in (an index into the default pipeline) and how it got
/// there.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoOpportunity {
    pub record: DemoRecord,
    pub stage: usize,
    pub moves: Vec<DemoMove>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoMove {
    pub from: Option<usize>,
    pub to: usize,
    pub at: Timestamp,
}

/// Record streams: every object draws from its own, so adding a field to one never changes
/// another.
#[derive(Clone, Copy)]
enum Stream {
    Company = 1,
    Contact = 2,
    Lead = 3,
    Opportunity = 4,
    Activity = 5,
    Tag = 6,
}

impl Stream {
    fn object(self) -> ObjectType {
        match self {
            Stream::Company | Stream::Tag => ObjectType::Company,
            Stream::Contact => ObjectType::Contact,
            Stream::Lead => ObjectType::Lead,
            Stream::Opportunity => ObjectType::Opportunity,
            Stream::Activity => ObjectType::Activity,
        }
    }

    /// Accounts and people are shared across the workspace; pipeline work stays in teams.
    fn visibility(self) -> Visibility {
        match self {
            Stream::Company | Stream::Contact | Stream::Tag => Visibility::Workspace,
            Stream::Lead | Stream::Opportunity | Stream::Activity => Visibility::Team,
        }
    }
}

impl DemoSpec {
    /// Completes record `index` of `stream`: visibility, no tags unless set, and an id that
    /// carries its creation time.
    fn finish(
        &self,
        stream: Stream,
        index: u64,
        owner: usize,
        created_at: Timestamp,
        updated_at: Timestamp,
        mut values: BTreeMap<&'static str, Value>,
    ) -> DemoRecord {
        values
            .entry("tag_ids")
            .or_insert_with(|| Value::Ids(Vec::new()));
        values.insert("visibility", text(stream.visibility().as_str()));
        DemoRecord {
            object: stream.object(),
            id: id_at(created_at, &mut self.rng(stream, index)),
            owner,
            created_at,
            updated_at,
            values,
        }
    }

    pub fn standard(seed: u64, reference: Date) -> DemoSpec {
        DemoSpec {
            seed,
            reference,
            size: DemoSize::STANDARD,
        }
    }

    fn rng(&self, stream: Stream, index: u64) -> Rng {
        Rng::of(self.seed, stream as u64, index)
    }

    /// Midnight UTC at the start of the reference date.
    fn today(&self) -> Timestamp {
        self.reference.start_utc()
    }

    /// A moment `days` days before (negative) or after the reference date, in office hours.
    fn day(&self, days: i64, rng: &mut Rng) -> Timestamp {
        // 07:30 to 17:30 UTC covers office hours from Lisbon to Warsaw.
        let minute = rng.range(450, 1050);
        Timestamp::from_micros(
            self.today()
                .as_micros()
                .saturating_add(days.saturating_mul(DAY))
                .saturating_add(minute.saturating_mul(60_000_000))
                .saturating_add(rng.range(0, 59_999_999)),
        )
    }

    /// The id of a tag of the demo workspace.
    pub fn tag_id(&self, tag: usize) -> Uuid {
        let mut r = self.rng(Stream::Tag, tag as u64);
        id_at(self.today(), &mut r)
    }
}

const DAY: i64 = 86_400_000_000;

/// A UUIDv7 carrying `at` as its time, so demo ids sort by creation like real ones.
fn id_at(at: Timestamp, r: &mut Rng) -> Uuid {
    let millis = u64::try_from(at.as_micros() / 1_000).unwrap_or(0);
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&r.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&r.next_u64().to_le_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
}

/// Letters and digits of `s` in ASCII, lowercased: "Müller" → "muller".
fn ascii(s: &str) -> String {
    fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Replaces each `#` with a random digit.
fn digits(template: &str, r: &mut Rng) -> String {
    template
        .chars()
        .map(|c| {
            if c == '#' {
                char::from(b'0' + u8::try_from(r.below(10)).unwrap_or(0))
            } else {
                c
            }
        })
        .collect()
}

/// An E.164 number in a city: its prefix, then random digits up to the country's length.
fn phone_in(city: &words::City, r: &mut Rng) -> String {
    let mut n: String = city
        .phone
        .chars()
        .filter(|c| *c == '+' || c.is_ascii_digit())
        .collect();
    while n.len() < city.phone_digits + 1 {
        n.push(char::from(b'0' + u8::try_from(r.below(10)).unwrap_or(0)));
    }
    n
}

/// Picks a user who owns records, weighted, from `team` (or all teams).
fn owner_in(team: Option<usize>, r: &mut Rng) -> usize {
    let weights: Vec<u32> = USERS
        .iter()
        .map(|u| match team {
            Some(t) if u.team != Some(t) => 0,
            _ => u.weight,
        })
        .collect();
    r.weighted(&weights)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn labeled(value: String, label: &str, primary: bool) -> Labeled {
    Labeled {
        value,
        label: Some(label.to_owned()),
        primary,
    }
}

/// Makes contact e-mail addresses unique across a dataset generated in index order: the
/// second "anna.muller@…" becomes "anna.muller2@…". Leads keep their own addresses, as the
/// same person often arrives as a lead before (or after) being a contact.
#[derive(Default)]
pub struct EmailBook {
    seen: HashSet<u64>,
}

/// FNV-1a: a fixed hash, so the book behaves the same on every Rust version.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl EmailBook {
    pub fn new() -> EmailBook {
        EmailBook::default()
    }

    /// Rewrites the record's e-mail addresses that were already handed out.
    pub fn claim(&mut self, record: &mut DemoRecord) {
        if let Some(Value::Emails(list)) = record.values.get_mut("emails") {
            for e in list.iter_mut() {
                e.value = self.unique(&e.value);
            }
        }
    }

    fn unique(&mut self, email: &str) -> String {
        let (local, domain) = email.split_once('@').unwrap_or((email, ""));
        let mut candidate = email.to_owned();
        let mut n = 2;
        while !self.seen.insert(fnv(&candidate)) {
            candidate = format!("{local}{n}@{domain}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests;
