//! Teams form a forest: each team has at most one parent. Managers see their own team and
//! every team below it, so the tree must never contain a cycle.

use std::collections::{HashMap, HashSet};

use crate::id::TeamId;

/// The parent of every team in a workspace.
#[derive(Clone, Debug, Default)]
pub struct TeamTree {
    parent: HashMap<TeamId, Option<TeamId>>,
}

impl TeamTree {
    pub fn new(edges: impl IntoIterator<Item = (TeamId, Option<TeamId>)>) -> Self {
        Self {
            parent: edges.into_iter().collect(),
        }
    }

    pub fn contains(&self, team: TeamId) -> bool {
        self.parent.contains_key(&team)
    }

    /// `team`'s ancestors from its parent up to the root. Stops on a cycle rather than loop,
    /// so corrupt data cannot hang a request.
    pub fn ancestors(&self, team: TeamId) -> Vec<TeamId> {
        let mut out = Vec::new();
        let mut seen = HashSet::from([team]);
        let mut current = self.parent.get(&team).copied().flatten();
        while let Some(t) = current {
            if !seen.insert(t) {
                break;
            }
            out.push(t);
            current = self.parent.get(&t).copied().flatten();
        }
        out
    }

    /// `root` and every team below it.
    pub fn subtree(&self, root: TeamId) -> Vec<TeamId> {
        let mut children: HashMap<TeamId, Vec<TeamId>> = HashMap::new();
        for (child, parent) in &self.parent {
            if let Some(p) = parent {
                children.entry(*p).or_default().push(*child);
            }
        }
        let mut out = vec![root];
        let mut seen = HashSet::from([root]);
        let mut i = 0;
        while let Some(t) = out.get(i).copied() {
            for c in children.get(&t).map(Vec::as_slice).unwrap_or_default() {
                if seen.insert(*c) {
                    out.push(*c);
                }
            }
            i += 1;
        }
        out
    }

    /// Would making `new_parent` the parent of `team` close a loop?
    pub fn would_cycle(&self, team: TeamId, new_parent: TeamId) -> bool {
        new_parent == team || self.ancestors(new_parent).contains(&team)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Id;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn t(n: u128) -> TeamId {
        TeamId::from_uuid(Uuid::from_u128(n))
    }

    /// 1 ← 2 ← 3, 1 ← 4, 5 alone.
    fn sample() -> TeamTree {
        TeamTree::new([
            (t(1), None),
            (t(2), Some(t(1))),
            (t(3), Some(t(2))),
            (t(4), Some(t(1))),
            (t(5), None),
        ])
    }

    #[test]
    fn ancestors_walk_to_the_root() {
        assert_eq!(sample().ancestors(t(3)), vec![t(2), t(1)]);
        assert!(sample().ancestors(t(1)).is_empty());
    }

    #[test]
    fn subtree_includes_the_root_and_everything_below() {
        let mut got = sample().subtree(t(1));
        got.sort();
        assert_eq!(got, vec![t(1), t(2), t(3), t(4)]);
        assert_eq!(sample().subtree(t(5)), vec![t(5)]);
    }

    #[test]
    fn cycle_table() {
        let tree = sample();
        let cases = [
            (1, 3, true),
            (1, 1, true),
            (2, 3, true),
            (3, 4, false),
            (5, 3, false),
            (4, 2, false),
        ];
        for (team, parent, cycles) in cases {
            assert_eq!(
                tree.would_cycle(t(team), t(parent)),
                cycles,
                "{team} under {parent}"
            );
        }
    }

    #[test]
    fn corrupt_cycles_do_not_hang() {
        let tree = TeamTree::new([(t(1), Some(t(2))), (t(2), Some(t(1)))]);
        assert_eq!(tree.ancestors(t(1)), vec![t(2)]);
        assert_eq!(tree.subtree(t(1)).len(), 2);
    }

    proptest! {
        /// Building a tree only through moves `would_cycle` allows keeps every walk finite and
        /// every team out of its own ancestors.
        #[test]
        fn guarded_moves_keep_a_forest(moves in proptest::collection::vec((0u128..12, 0u128..12), 0..60)) {
            let mut edges: HashMap<TeamId, Option<TeamId>> = (0..12).map(|n| (t(n), None)).collect();
            for (team, parent) in moves {
                let tree = TeamTree::new(edges.clone());
                if !tree.would_cycle(t(team), t(parent)) {
                    edges.insert(t(team), Some(t(parent)));
                }
            }
            let tree = TeamTree::new(edges.clone());
            for n in 0..12 {
                prop_assert!(!tree.ancestors(t(n)).contains(&t(n)));
                prop_assert!(tree.ancestors(t(n)).len() < 12);
            }
        }
    }
}
