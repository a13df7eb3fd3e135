//! Which account a golden folder records, when a command writes one from the live account
//! (`snapshot`, `accept`).

use std::path::Path;

use crate::error::{Error, FetchError, Result};
use crate::model::{Identity, Kind};
use crate::source;

/// The identity to record in the folder `out`: the live one. A folder recorded from another
/// account or region is not overwritten unless `--any-account`; an identity that could not be
/// read stops the snapshot (it could be any account) unless `--any-account`, and then the record
/// is left as it was.
pub(crate) fn to_record<'a>(
    out: &Path,
    recorded: Option<&Identity>,
    identity: &'a std::result::Result<Identity, FetchError>,
    kinds: &[Kind],
    any_account: bool,
) -> Result<Option<&'a Identity>> {
    match (identity, recorded) {
        (Ok(live), Some(rec)) if !any_account => {
            source::golden::meta::ensure_same(out, rec, live, kinds)?;
            Ok(Some(live))
        }
        (Ok(live), _) => Ok(Some(live)),
        (Err(_), _) if any_account => Ok(None),
        (Err(e), _) => Err(Error::UnknownAccount {
            folder: out.to_path_buf(),
            source: e.clone(),
        }),
    }
}
