//! The golden folder's record of where it came from: `source.json` at its top, holding the
//! account, partition and region `snapshot` read, and the kinds of which the folder holds every
//! resource of that account and region (a kind `snapshot` wrote whole). No timestamps: an
//! unchanged account changes no byte. `check` and `snapshot` refuse a folder of another account
//! or region (exit 2) unless `--any-account` says the comparison is intended, so a real account
//! is never compared with, or written over, another account's files by mistake. The
//! cross-resource checks judge a reference to a resource missing from the folder only for the
//! kinds it holds whole ([`held`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Identity, Kind};

/// The file's name at the top of a golden folder.
pub const FILE: &str = "source.json";

/// What `source.json` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub identity: Identity,
    /// The kinds the folder holds whole; `None` in a record written before it said so.
    pub kinds: Option<Vec<Kind>>,
}

/// The file's fields (the identity's, flattened: `deny_unknown_fields` does not mix with
/// `flatten`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    account: String,
    partition: String,
    region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kinds: Option<Vec<Kind>>,
}

/// The recorded identity of the folder `dir`, or None when it has no record (folders written
/// before the record existed, or by hand).
pub fn read(dir: &Path) -> Result<Option<Identity>> {
    Ok(read_record(dir)?.map(|r| r.identity))
}

/// The whole record of the folder `dir`, or None when it has none.
pub fn read_record(dir: &Path) -> Result<Option<Record>> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Read { path, source }),
    };
    let file: File = serde_json::from_str(&text).map_err(|e| {
        if e.is_data() {
            Error::Invalid {
                path: path.clone(),
                message: format!(
                    "{e}; expected {{\"account\": \"…\", \"partition\": \"aws\", \"region\": \"…\", \"kinds\": [\"aws_…\"]}}"
                ),
            }
        } else {
            Error::json(&path, &e)
        }
    })?;
    Ok(Some(Record {
        identity: Identity {
            account: file.account,
            partition: file.partition,
            region: file.region,
        },
        kinds: file.kinds,
    }))
}

/// The kinds the folder `dir` holds whole: those its record names; for a folder without a
/// record, or with one written before records named them, those it has a folder of.
pub fn held(dir: &Path, record: Option<&Record>) -> Vec<Kind> {
    match record.and_then(|r| r.kinds.clone()) {
        Some(kinds) => kinds,
        None => Kind::ALL
            .iter()
            .copied()
            .filter(|k| dir.join(k.as_str()).is_dir())
            .collect(),
    }
}

/// Records `identity` in the folder `dir` (atomically), and that it now holds the kinds of
/// `whole` whole (a snapshot of every resource of them), unless it already holds those bytes.
/// The kinds recorded before stay while the identity does not change.
pub fn write(dir: &Path, identity: &Identity, whole: &[Kind]) -> Result<()> {
    let before = read_record(dir).ok().flatten();
    let same = before.as_ref().filter(|r| r.identity == *identity);
    let kinds = match same {
        // An older record: what it holds is what it has folders of, as [`held`] reads it.
        Some(Record { kinds: None, .. }) if whole.is_empty() => None,
        Some(r) => Some(held(dir, Some(r))),
        None => Some(Vec::new()),
    };
    let kinds = kinds.map(|mut k| {
        k.extend_from_slice(whole);
        k.sort();
        k.dedup();
        k
    });
    let record = Record {
        identity: identity.clone(),
        kinds,
    };
    let path = dir.join(FILE);
    let bytes = render(&record);
    if std::fs::read(&path).ok().as_deref() != Some(bytes.as_bytes()) {
        crate::atomic::write(&path, bytes.as_bytes())?;
    }
    Ok(())
}

/// The bytes of the record: sorted keys, pretty, a trailing newline.
pub fn render(record: &Record) -> String {
    let file = File {
        account: record.identity.account.clone(),
        partition: record.identity.partition.clone(),
        region: record.identity.region.clone(),
        kinds: record.kinds.clone(),
    };
    crate::canonical_json::pretty(&serde_json::to_value(file).unwrap_or_default())
}

/// Refuses to compare (or overwrite) a folder recorded from another account, partition or
/// region. The region counts only when a regional kind is in scope: IAM is the same everywhere.
pub fn ensure_same(dir: &Path, recorded: &Identity, live: &Identity, kinds: &[Kind]) -> Result<()> {
    if recorded.same_owner(live, kinds) {
        return Ok(());
    }
    Err(Error::Invalid {
        path: dir.join(FILE),
        message: format!(
            "this golden folder was taken from {recorded}, but the credentials and region in use \
             are {live}; point --region/--profile at the right account, use another folder, or \
             pass --any-account if comparing them is intended"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(account: &str, region: &str) -> Identity {
        Identity {
            account: account.into(),
            partition: "aws".into(),
            region: region.into(),
        }
    }

    #[test]
    fn another_account_or_region_is_refused_and_iam_ignores_the_region() {
        let dir = Path::new("golden");
        let all = Kind::ALL;
        assert!(ensure_same(dir, &id("1", "us-east-1"), &id("1", "us-east-1"), all).is_ok());
        let e = ensure_same(dir, &id("1", "us-east-1"), &id("2", "us-east-1"), all).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("account 1, region us-east-1"), "{text}");
        assert!(text.contains("account 2, region us-east-1"), "{text}");
        assert!(text.contains("--any-account"), "{text}");
        assert!(ensure_same(dir, &id("1", "us-east-1"), &id("1", "eu-west-1"), all).is_err());
        let iam = &[Kind::IamRole, Kind::IamPolicy];
        assert!(ensure_same(dir, &id("1", "us-east-1"), &id("1", "eu-west-1"), iam).is_ok());
    }

    #[test]
    fn the_record_is_byte_stable() {
        let record = Record {
            identity: id("123456789012", "us-east-1"),
            kinds: Some(vec![Kind::IamRole, Kind::SqsQueue]),
        };
        assert_eq!(
            render(&record),
            "{\n  \"account\": \"123456789012\",\n  \"kinds\": [\n    \"aws_iam_role\",\n    \"aws_sqs_queue\"\n  ],\n  \"partition\": \"aws\",\n  \"region\": \"us-east-1\"\n}\n"
        );
    }

    /// A snapshot adds the kinds it wrote whole; accept adds none; another account starts over;
    /// a record from before kinds were recorded holds the kinds it has folders of.
    #[test]
    fn the_record_keeps_the_kinds_held_whole() {
        let dir = tempfile::tempdir().unwrap();
        let held_now = || held(dir.path(), read_record(dir.path()).unwrap().as_ref());
        let one = id("123456789012", "us-east-1");
        write(dir.path(), &one, &[]).unwrap();
        assert_eq!(held_now(), vec![]);
        write(dir.path(), &one, &[Kind::SqsQueue]).unwrap();
        write(dir.path(), &one, &[Kind::IamRole]).unwrap();
        write(dir.path(), &one, &[]).unwrap();
        assert_eq!(held_now(), vec![Kind::IamRole, Kind::SqsQueue]);
        write(
            dir.path(),
            &id("210987654321", "us-east-1"),
            &[Kind::EcsService],
        )
        .unwrap();
        assert_eq!(held_now(), vec![Kind::EcsService]);

        let legacy =
            "{\"account\": \"123456789012\", \"partition\": \"aws\", \"region\": \"us-east-1\"}";
        std::fs::write(dir.path().join(FILE), legacy).unwrap();
        std::fs::create_dir(dir.path().join("aws_iam_role")).unwrap();
        assert_eq!(held_now(), vec![Kind::IamRole]);
        write(dir.path(), &one, &[]).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!text.contains("kinds"), "{text}");
        write(dir.path(), &one, &[Kind::SqsQueue]).unwrap();
        assert_eq!(held_now(), vec![Kind::IamRole, Kind::SqsQueue]);
    }
}
