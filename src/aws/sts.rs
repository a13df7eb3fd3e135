//! Who the credentials belong to: STS `GetCallerIdentity` (allowed to every principal, no
//! permission needed), so a golden folder can record, and later insist on, its account.

use aws_sdk_sts::Client;

use super::explain;
use crate::error::FetchError;
use crate::model::Identity;

super::sdk_client!(aws_sdk_sts);

/// The account and partition of the caller, with the region the run uses.
pub async fn identity(client: &Client, region: &str) -> Result<Identity, FetchError> {
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| explain("sts:GetCallerIdentity", &e))?;
    let account = out
        .account()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| FetchError::said("sts:GetCallerIdentity answered without an account"))?;
    let arn = out.arn().unwrap_or_default();
    let partition = partition_of(arn).ok_or_else(|| {
        FetchError::said(format!(
            "sts:GetCallerIdentity answered with `{arn}`, not the caller's ARN"
        ))
    })?;
    Ok(Identity {
        account: account.to_string(),
        partition,
        region: region.to_string(),
    })
}

/// The partition (`aws`, `aws-cn`, `aws-us-gov`) is the second field of any ARN. None when the
/// answer holds no ARN: the partition is then unknown, not assumed.
fn partition_of(arn: &str) -> Option<String> {
    match arn.split(':').nth(1) {
        Some(p) if arn.starts_with("arn:") && !p.is_empty() => Some(p.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_partition_comes_from_the_arn_and_is_never_assumed() {
        let p = |arn| super::partition_of(arn);
        assert_eq!(p("arn:aws-cn:iam::1:user/x").as_deref(), Some("aws-cn"));
        assert_eq!(p("arn:aws:sts::1:assumed-role/r/s").as_deref(), Some("aws"));
        assert_eq!(p(""), None);
        assert_eq!(p("not-an-arn"), None);
    }
}
