//! The golden folder's record of where it came from: `source.json` at its top, holding the
//! account, partition and region `snapshot` read. No timestamps: an unchanged account changes no
//! byte. `check` and `snapshot` refuse a folder of another account or region (exit 2) unless
//! `--any-account` says the comparison is intended, so a real account is never compared with,
//! or written over, another account's files by mistake.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{Identity, Kind};

/// The file's name at the top of a golden folder.
pub const FILE: &str = "source.json";

/// The recorded identity of the folder `dir`, or None when it has no record (folders written
/// before the record existed, or by hand).
pub fn read(dir: &Path) -> Result<Option<Identity>> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Read { path, source }),
    };
    let identity = serde_json::from_str(&text).map_err(|e| {
        if e.is_data() {
            Error::Invalid {
                path: path.clone(),
                message: format!(
                    "{e}; expected {{\"account\": \"…\", \"partition\": \"aws\", \"region\": \"…\"}}"
                ),
            }
        } else {
            Error::json(&path, &e)
        }
    })?;
    Ok(Some(identity))
}

/// Records `identity` in the folder `dir` (atomically), unless it already holds those bytes.
pub fn write(dir: &Path, identity: &Identity) -> Result<()> {
    let path = dir.join(FILE);
    let bytes = render(identity);
    if std::fs::read(&path).ok().as_deref() != Some(bytes.as_bytes()) {
        crate::atomic::write(&path, bytes.as_bytes())?;
    }
    Ok(())
}

/// The bytes of the record: sorted keys, pretty, a trailing newline.
pub fn render(identity: &Identity) -> String {
    crate::canonical_json::pretty(&serde_json::to_value(identity).unwrap_or_default())
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
        let text = render(&id("123456789012", "us-east-1"));
        assert_eq!(
            text,
            "{\n  \"account\": \"123456789012\",\n  \"partition\": \"aws\",\n  \"region\": \"us-east-1\"\n}\n"
        );
    }
}
