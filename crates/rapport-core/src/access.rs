//! Who may read and write which record (DESIGN §4.2). This is the one definition: the store
//! turns the same rules into SQL for lists, counts, search and timelines, and a store test
//! checks that the SQL and these functions agree on random data.

use crate::id::{TeamId, UserId};
use crate::object::Visibility;
use crate::policy::Forbidden;
use crate::role::Role;

/// The caller as the policy needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: UserId,
    pub role: Role,
    pub team_id: Option<TeamId>,
    /// For a manager: their own team and every team below it. Empty for other roles.
    pub managed_teams: Vec<TeamId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grantee {
    User(UserId),
    Team(TeamId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShareAccess {
    Read,
    ReadWrite,
}

impl ShareAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            ShareAccess::Read => "read",
            ShareAccess::ReadWrite => "read_write",
        }
    }

    pub fn parse(s: &str) -> Option<ShareAccess> {
        match s {
            "read" => Some(ShareAccess::Read),
            "read_write" => Some(ShareAccess::ReadWrite),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grant {
    pub grantee: Grantee,
    pub access: ShareAccess,
}

/// What the policy needs to know about a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordFacts {
    pub owner: UserId,
    /// The owner's team now (not when the record was made).
    pub owner_team: Option<TeamId>,
    pub visibility: Visibility,
    pub grants: Vec<Grant>,
}

impl Viewer {
    fn manages(&self, team: Option<TeamId>) -> bool {
        team.is_some_and(|t| self.managed_teams.contains(&t))
    }

    fn granted(&self, r: &RecordFacts, at_least: ShareAccess) -> bool {
        r.grants.iter().any(|g| {
            g.access >= at_least
                && match g.grantee {
                    Grantee::User(u) => u == self.user_id,
                    Grantee::Team(t) => Some(t) == self.team_id,
                }
        })
    }
}

pub fn can_read(v: &Viewer, r: &RecordFacts) -> bool {
    v.role == Role::Admin
        || r.visibility == Visibility::Workspace
        || r.owner == v.user_id
        || (r.visibility == Visibility::Team && r.owner_team.is_some() && r.owner_team == v.team_id)
        || v.manages(r.owner_team)
        || v.granted(r, ShareAccess::Read)
}

pub fn can_write(v: &Viewer, r: &RecordFacts) -> bool {
    if v.role == Role::ReadOnly {
        return false;
    }
    v.role == Role::Admin
        || r.owner == v.user_id
        || v.manages(r.owner_team)
        || v.granted(r, ShareAccess::ReadWrite)
}

/// Whether the caller may make `owner` (a user of team `owner_team`) the owner of a record:
/// reps only themselves, managers anyone in their teams, admins anyone.
pub fn authorize_owner(
    v: &Viewer,
    owner: UserId,
    owner_team: Option<TeamId>,
) -> Result<(), Forbidden> {
    match v.role {
        Role::Admin => Ok(()),
        _ if owner == v.user_id => Ok(()),
        Role::Manager if v.manages(owner_team) => Ok(()),
        Role::ReadOnly => Err(Forbidden::ReadOnlyRole),
        _ => Err(Forbidden::NotOwner),
    }
}

/// A field-level rule: for `role`, `field` of an object is hidden or read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRule {
    pub role: Role,
    pub field: String,
    pub hidden: bool,
}

/// How a role may treat a field. Admins are never restricted, so they can always repair
/// a rule; the read_only role reads at most.
pub fn field_access(role: Role, rules: &[FieldRule], field: &str) -> crate::record::FieldAccess {
    use crate::record::FieldAccess;
    if role == Role::Admin {
        return FieldAccess::ReadWrite;
    }
    let top = field.split('.').next().unwrap_or(field);
    match rules
        .iter()
        .find(|r| r.role == role && (r.field == field || r.field == top))
    {
        Some(r) if r.hidden => FieldAccess::Hidden,
        Some(_) => FieldAccess::ReadOnly,
        None if role == Role::ReadOnly => FieldAccess::ReadOnly,
        None => FieldAccess::ReadWrite,
    }
}

/// A kind of record as seen from one user, for explaining what a role reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Situation {
    /// A record the user owns.
    Own,
    /// A private record of someone in the user's team.
    TeammatePrivate,
    /// A team-visible record of someone in the user's team.
    TeammateTeam,
    /// A private record of someone in a team below the user's.
    SubTeamPrivate,
    /// A workspace-visible record of someone in another team.
    OtherWorkspace,
    /// A private record of someone in another team.
    OtherPrivate,
    /// Someone else's private record shared with the user to read.
    SharedRead,
    /// Someone else's private record shared with the user to read and change.
    SharedReadWrite,
}

impl Situation {
    pub const ALL: [Situation; 8] = [
        Situation::Own,
        Situation::TeammatePrivate,
        Situation::TeammateTeam,
        Situation::SubTeamPrivate,
        Situation::OtherWorkspace,
        Situation::OtherPrivate,
        Situation::SharedRead,
        Situation::SharedReadWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Situation::Own => "own",
            Situation::TeammatePrivate => "teammate_private",
            Situation::TeammateTeam => "teammate_team",
            Situation::SubTeamPrivate => "sub_team_private",
            Situation::OtherWorkspace => "other_workspace",
            Situation::OtherPrivate => "other_private",
            Situation::SharedRead => "shared_read",
            Situation::SharedReadWrite => "shared_read_write",
        }
    }
}

/// How far a role reaches a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    None,
    Read,
    ReadWrite,
}

impl Reach {
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::None => "none",
            Reach::Read => "read",
            Reach::ReadWrite => "read_write",
        }
    }
}

/// What a holder of `role` may do with a record in `situation`, found by asking
/// [`can_read`] and [`can_write`] themselves, so the explanation cannot drift from the rule.
pub fn reach(role: Role, situation: Situation) -> Reach {
    use crate::id::Id;
    let id = |n: u128| uuid::Uuid::from_u128(n);
    let me = UserId::from_uuid(id(1));
    let other = UserId::from_uuid(id(2));
    let (mine, below, elsewhere) = (
        TeamId::from_uuid(id(10)),
        TeamId::from_uuid(id(11)),
        TeamId::from_uuid(id(12)),
    );
    let viewer = Viewer {
        user_id: me,
        role,
        team_id: Some(mine),
        managed_teams: if role == Role::Manager {
            vec![mine, below]
        } else {
            Vec::new()
        },
    };
    let record = |owner, team, visibility, grants| RecordFacts {
        owner,
        owner_team: Some(team),
        visibility,
        grants,
    };
    let shared = |access| {
        vec![Grant {
            grantee: Grantee::User(me),
            access,
        }]
    };
    let facts = match situation {
        Situation::Own => record(me, mine, Visibility::Private, Vec::new()),
        Situation::TeammatePrivate => record(other, mine, Visibility::Private, Vec::new()),
        Situation::TeammateTeam => record(other, mine, Visibility::Team, Vec::new()),
        Situation::SubTeamPrivate => record(other, below, Visibility::Private, Vec::new()),
        Situation::OtherWorkspace => record(other, elsewhere, Visibility::Workspace, Vec::new()),
        Situation::OtherPrivate => record(other, elsewhere, Visibility::Private, Vec::new()),
        Situation::SharedRead => record(
            other,
            elsewhere,
            Visibility::Private,
            shared(ShareAccess::Read),
        ),
        Situation::SharedReadWrite => record(
            other,
            elsewhere,
            Visibility::Private,
            shared(ShareAccess::ReadWrite),
        ),
    };
    if can_write(&viewer, &facts) {
        Reach::ReadWrite
    } else if can_read(&viewer, &facts) {
        Reach::Read
    } else {
        Reach::None
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::id::Id;
    use crate::team_tree::TeamTree;

    fn u(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(n))
    }

    fn t(n: u128) -> TeamId {
        TeamId::from_uuid(Uuid::from_u128(1000 + n))
    }

    /// A grant in the generated world: (to a user?, user or team index, access).
    type RawGrant = (bool, usize, ShareAccess);

    /// A small world: a team forest, users with roles and teams, and records.
    #[derive(Debug, Clone)]
    struct World {
        parents: Vec<Option<usize>>,
        users: Vec<(Role, Option<usize>)>,
        records: Vec<(usize, Visibility, Vec<RawGrant>)>,
    }

    fn world() -> impl Strategy<Value = World> {
        let teams = 1usize..6;
        teams
            .prop_flat_map(|n| {
                let parents = proptest::collection::vec(proptest::option::of(0..n), n);
                let role = prop_oneof![
                    Just(Role::Admin),
                    Just(Role::Manager),
                    Just(Role::Rep),
                    Just(Role::ReadOnly)
                ];
                let users = proptest::collection::vec((role, proptest::option::of(0..n)), 1..8);
                (Just(n), parents, users)
            })
            .prop_flat_map(|(n, parents, users)| {
                let nu = users.len();
                let vis = prop_oneof![
                    Just(Visibility::Private),
                    Just(Visibility::Team),
                    Just(Visibility::Workspace)
                ];
                let access = prop_oneof![Just(ShareAccess::Read), Just(ShareAccess::ReadWrite)];
                let grant = (any::<bool>(), 0..nu.max(n), access);
                let record = (0..nu, vis, proptest::collection::vec(grant, 0..3));
                (
                    Just(parents),
                    Just(users),
                    proptest::collection::vec(record, 1..6),
                )
            })
            .prop_map(|(parents, users, records)| {
                // Only edges to lower-numbered teams: a forest by construction.
                let parents = parents
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.filter(|p| *p < i))
                    .collect();
                World {
                    parents,
                    users,
                    records,
                }
            })
    }

    fn tree(w: &World) -> TeamTree {
        TeamTree::new(
            w.parents
                .iter()
                .enumerate()
                .map(|(i, p)| (t(i as u128), p.map(|p| t(p as u128)))),
        )
    }

    fn viewer(w: &World, tree: &TeamTree, i: usize) -> Viewer {
        let (role, team) = w.users[i];
        let team_id = team.map(|x| t(x as u128));
        let managed = match (role, team_id) {
            (Role::Manager, Some(team)) => tree.subtree(team),
            _ => Vec::new(),
        };
        Viewer {
            user_id: u(i as u128),
            role,
            team_id,
            managed_teams: managed,
        }
    }

    fn facts(w: &World, r: usize) -> RecordFacts {
        let (owner, visibility, grants) = &w.records[r];
        RecordFacts {
            owner: u(*owner as u128),
            owner_team: w.users[*owner].1.map(|x| t(x as u128)),
            visibility: *visibility,
            grants: grants
                .iter()
                .filter_map(|(to_user, idx, access)| {
                    let grantee = if *to_user {
                        (*idx < w.users.len()).then(|| Grantee::User(u(*idx as u128)))?
                    } else {
                        (*idx < w.parents.len()).then(|| Grantee::Team(t(*idx as u128)))?
                    };
                    Some(Grant {
                        grantee,
                        access: *access,
                    })
                })
                .collect(),
        }
    }

    /// The reference model, built from the record's side: the set of readers and writers
    /// as DESIGN §4.2 lists them.
    fn reference(w: &World, r: usize) -> (HashSet<usize>, HashSet<usize>) {
        let tree = tree(w);
        let (owner, visibility, _) = &w.records[r];
        let owner_team = w.users[*owner].1;
        let f = facts(w, r);
        let mut chain: Vec<usize> = Vec::new();
        if let Some(team) = owner_team {
            chain.push(team);
            let by_id: HashMap<TeamId, usize> =
                (0..w.parents.len()).map(|i| (t(i as u128), i)).collect();
            chain.extend(
                tree.ancestors(t(team as u128))
                    .iter()
                    .filter_map(|a| by_id.get(a)),
            );
        }
        let member_of = |i: usize, team: usize| w.users[i].1 == Some(team);
        let is_manager_up_tree = |i: usize| {
            w.users[i].0 == Role::Manager && w.users[i].1.is_some_and(|x| chain.contains(&x))
        };
        let granted = |i: usize, min: ShareAccess| {
            f.grants.iter().any(|g| {
                g.access >= min
                    && match g.grantee {
                        Grantee::User(x) => x == u(i as u128),
                        Grantee::Team(x) => w.users[i].1.map(|m| t(m as u128)) == Some(x),
                    }
            })
        };
        let mut readers = HashSet::new();
        let mut writers = HashSet::new();
        for i in 0..w.users.len() {
            let admin = w.users[i].0 == Role::Admin;
            let read = admin
                || *visibility == Visibility::Workspace
                || i == *owner
                || is_manager_up_tree(i)
                || (*visibility == Visibility::Team
                    && owner_team.is_some_and(|team| member_of(i, team)))
                || granted(i, ShareAccess::Read);
            let write = w.users[i].0 != Role::ReadOnly
                && (admin
                    || i == *owner
                    || is_manager_up_tree(i)
                    || granted(i, ShareAccess::ReadWrite));
            if read {
                readers.insert(i);
            }
            if write {
                writers.insert(i);
            }
        }
        (readers, writers)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_policy_agrees_with_the_reference_model(w in world()) {
            let tree = tree(&w);
            for r in 0..w.records.len() {
                let (readers, writers) = reference(&w, r);
                let f = facts(&w, r);
                for i in 0..w.users.len() {
                    let v = viewer(&w, &tree, i);
                    prop_assert_eq!(can_read(&v, &f), readers.contains(&i), "read: user {} record {}", i, r);
                    prop_assert_eq!(can_write(&v, &f), writers.contains(&i), "write: user {} record {}", i, r);
                    prop_assert!(!can_write(&v, &f) || can_read(&v, &f), "writing implies reading");
                }
            }
        }
    }

    #[test]
    fn owner_assignment_table() {
        let manager = Viewer {
            user_id: u(1),
            role: Role::Manager,
            team_id: Some(t(1)),
            managed_teams: vec![t(1), t(2)],
        };
        assert_eq!(authorize_owner(&manager, u(9), Some(t(2))), Ok(()));
        assert_eq!(
            authorize_owner(&manager, u(9), Some(t(3))),
            Err(Forbidden::NotOwner)
        );
        assert_eq!(
            authorize_owner(&manager, u(9), None),
            Err(Forbidden::NotOwner)
        );
        let rep = Viewer {
            user_id: u(2),
            role: Role::Rep,
            team_id: Some(t(1)),
            managed_teams: vec![],
        };
        assert_eq!(authorize_owner(&rep, u(2), Some(t(1))), Ok(()));
        assert_eq!(
            authorize_owner(&rep, u(3), Some(t(1))),
            Err(Forbidden::NotOwner)
        );
        let admin = Viewer {
            user_id: u(3),
            role: Role::Admin,
            team_id: None,
            managed_teams: vec![],
        };
        assert_eq!(authorize_owner(&admin, u(2), None), Ok(()));
    }

    #[test]
    fn field_rules_table() {
        use crate::record::FieldAccess::*;
        let rules = vec![
            FieldRule {
                role: Role::Rep,
                field: "birth_date".into(),
                hidden: true,
            },
            FieldRule {
                role: Role::Rep,
                field: "address".into(),
                hidden: false,
            },
            FieldRule {
                role: Role::Admin,
                field: "birth_date".into(),
                hidden: true,
            },
        ];
        assert_eq!(field_access(Role::Rep, &rules, "birth_date"), Hidden);
        assert_eq!(field_access(Role::Rep, &rules, "address.city"), ReadOnly);
        assert_eq!(field_access(Role::Rep, &rules, "first_name"), ReadWrite);
        assert_eq!(field_access(Role::Manager, &rules, "birth_date"), ReadWrite);
        assert_eq!(field_access(Role::Admin, &rules, "birth_date"), ReadWrite);
        assert_eq!(field_access(Role::ReadOnly, &rules, "first_name"), ReadOnly);
    }

    #[test]
    fn the_role_explanation_matches_the_design_table() {
        use Reach::{None as No, Read as R, ReadWrite as RW};
        use Situation::*;
        // Rows: admin, manager, rep, read_only (DESIGN §4.2).
        let table: [(Situation, [Reach; 4]); 8] = [
            (Own, [RW, RW, RW, R]),
            (TeammatePrivate, [RW, RW, No, No]),
            (TeammateTeam, [RW, RW, R, R]),
            (SubTeamPrivate, [RW, RW, No, No]),
            (OtherWorkspace, [RW, R, R, R]),
            (OtherPrivate, [RW, No, No, No]),
            (SharedRead, [RW, R, R, R]),
            (SharedReadWrite, [RW, RW, RW, R]),
        ];
        for (situation, expected) in table {
            for (role, want) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(reach(role, situation), want, "{role} {situation:?}");
            }
        }
    }
}
