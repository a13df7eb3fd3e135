//! Which units of a plan a shard checks. Units are ordered by the SHA-256 of
//! `v1:{partition}:{account_id}` (ascending hex; `v1` versions the rule) and dealt as contiguous
//! slices whose sizes differ by at most one, shard 1 taking the first: adding or removing one
//! account moves few others, and no shard holds more than one unit above the mean (hash modulo
//! N does not promise that).

use std::fmt;

use sha2::{Digest, Sha256};

use super::plan::{OrgPlan, Unit};

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: usize,
    pub count: usize,
}

impl ShardSpec {
    /// `K/N`, 1 ≤ K ≤ N (`--shard 2/4`).
    pub fn parse(text: &str) -> Result<ShardSpec, String> {
        let bad = || format!("shard `{text}` is not K/N with 1 ≤ K ≤ N (`--shard 2/4`)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        Self::new(index, count).ok_or_else(bad)
    }

    /// From a 0-based index, as array jobs give it (`JOB_COMPLETION_INDEX`,
    /// `AWS_BATCH_JOB_ARRAY_INDEX`).
    pub fn from_zero_based(index: &str, count: usize) -> Result<ShardSpec, String> {
        let i: usize = index
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{index}` is not a number from 0"))?;
        Self::new(i + 1, count)
            .ok_or_else(|| format!("shard index {i} is not below the {count} shards"))
    }

    fn new(index: usize, count: usize) -> Option<ShardSpec> {
        (count >= 1 && (1..=count).contains(&index)).then_some(ShardSpec { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The order of a unit among a plan's: SHA-256 (hex) of `v1:{partition}:{account_id}`.
pub fn order_key(partition: &str, account_id: &str) -> String {
    Sha256::digest(format!("v1:{partition}:{account_id}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The units shard `spec` checks.
pub fn slice(plan: &OrgPlan, spec: ShardSpec) -> Vec<&Unit> {
    let mut ordered: Vec<(String, &Unit)> = plan
        .units
        .iter()
        .map(|u| (order_key(&plan.partition, &u.account_id), u))
        .collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0));
    let (start, len) = bounds(ordered.len(), spec);
    ordered[start..start + len]
        .iter()
        .map(|(_, u)| *u)
        .collect()
}

/// `(start, length)` of shard `spec` over `total` units: the first `total % count` shards hold
/// one more.
fn bounds(total: usize, spec: ShardSpec) -> (usize, usize) {
    let base = total / spec.count;
    let extra = total % spec.count;
    let k = spec.index - 1;
    let start = k * base + k.min(extra);
    let len = base + usize::from(k < extra);
    (start, len)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn plan(n: usize) -> OrgPlan {
        let units = (0..n)
            .map(|i| Unit {
                account_id: format!("{:012}", 100_000_000_000u64 + i as u64 * 7919),
                name: format!("a{i}"),
                ou_path: vec![],
                role_arn: String::new(),
                regions: vec!["*".into()],
                exclude_regions: vec![],
            })
            .collect();
        OrgPlan::new("aws", units, vec![])
    }

    #[test]
    fn specs_are_one_based_and_bounded() {
        assert_eq!(
            ShardSpec::parse("2/4").unwrap(),
            ShardSpec { index: 2, count: 4 }
        );
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(ShardSpec::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ShardSpec::from_zero_based("0", 3).unwrap().index, 1);
        assert!(ShardSpec::from_zero_based("3", 3).is_err());
        assert!(ShardSpec::from_zero_based("-1", 3).is_err());
    }

    #[test]
    fn the_order_key_is_the_documented_digest() {
        // sha256("v1:aws:123456789012"), computed with Python's hashlib.
        let k = order_key("aws", "123456789012");
        assert_eq!(
            k,
            "1fc21e977640d7a79702b5769bcfc45b28457b25b2cc2f142d0ad0469feaea6e"
        );
        assert_ne!(k, order_key("aws-cn", "123456789012"));
    }

    #[test]
    fn adding_one_account_moves_few_others() {
        let before = plan(100);
        let mut units = before.units.clone();
        units.push(Unit {
            account_id: "999999999999".into(),
            ..units[0].clone()
        });
        let after = OrgPlan::new("aws", units, vec![]);
        let shard_of = |p: &OrgPlan| -> Vec<(String, usize)> {
            let mut out = Vec::new();
            for k in 1..=10 {
                for u in slice(
                    p,
                    ShardSpec {
                        index: k,
                        count: 10,
                    },
                ) {
                    out.push((u.account_id.clone(), k));
                }
            }
            out.sort();
            out
        };
        let (a, b) = (shard_of(&before), shard_of(&after));
        let moved = a.iter().filter(|x| !b.contains(x)).count();
        assert!(moved <= 10, "{moved} accounts moved");
    }

    proptest! {
        #[test]
        fn slices_partition_the_units(n in 0usize..300, count in 1usize..40) {
            let p = plan(n);
            let mut seen: Vec<&str> = Vec::new();
            let mut sizes = Vec::new();
            for index in 1..=count {
                let s = slice(&p, ShardSpec { index, count });
                sizes.push(s.len());
                seen.extend(s.iter().map(|u| u.account_id.as_str()));
            }
            let mut all: Vec<&str> = p.units.iter().map(|u| u.account_id.as_str()).collect();
            seen.sort_unstable();
            all.sort_unstable();
            prop_assert_eq!(seen, all);
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            prop_assert!(max - min <= 1);
            // Shard 1 takes the first (and a larger) slice.
            prop_assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        }
    }
}
