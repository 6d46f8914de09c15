//! The CRM's record objects and the visibility every record carries.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Objects stored as records: owned, visible per the access policy, audited, searchable,
/// trashable, with custom fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectType {
    Company,
    Contact,
    Lead,
    Opportunity,
    Activity,
}

impl ObjectType {
    pub const ALL: [ObjectType; 5] = [
        ObjectType::Company,
        ObjectType::Contact,
        ObjectType::Lead,
        ObjectType::Opportunity,
        ObjectType::Activity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Company => "company",
            ObjectType::Contact => "contact",
            ObjectType::Lead => "lead",
            ObjectType::Opportunity => "opportunity",
            ObjectType::Activity => "activity",
        }
    }

    /// The collection name in URLs and the table name.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectType::Company => "companies",
            ObjectType::Contact => "contacts",
            ObjectType::Lead => "leads",
            ObjectType::Opportunity => "opportunities",
            ObjectType::Activity => "activities",
        }
    }

    pub fn from_plural(s: &str) -> Option<ObjectType> {
        ObjectType::ALL.into_iter().find(|o| o.plural() == s)
    }

    /// Where a new record lands when neither the request nor the workspace says otherwise.
    pub fn default_visibility(self) -> Visibility {
        match self {
            ObjectType::Company | ObjectType::Contact => Visibility::Workspace,
            ObjectType::Lead | ObjectType::Opportunity | ObjectType::Activity => Visibility::Team,
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ObjectType {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        ObjectType::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or(())
    }
}

/// Who sees a record besides its owner, the owner's managers, admins and explicit shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Nobody else.
    Private,
    /// The owner's team.
    Team,
    /// Everyone in the workspace.
    Workspace,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Private, Visibility::Team, Visibility::Workspace];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Team => "team",
            Visibility::Workspace => "workspace",
        }
    }
}

impl FromStr for Visibility {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Visibility::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
