//! Who the credentials belong to: STS `GetCallerIdentity` (allowed to every principal, no
//! permission needed), so a golden folder can record, and later insist on, its account.

use aws_sdk_sts::Client;

use super::explain;
use crate::model::Identity;

super::sdk_client!(aws_sdk_sts);

/// The account and partition of the caller, with the region the run uses.
pub async fn identity(client: &Client, region: &str) -> Result<Identity, String> {
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| explain("sts:GetCallerIdentity", &e))?;
    let account = out
        .account()
        .filter(|a| !a.is_empty())
        .ok_or("sts:GetCallerIdentity answered without an account")?;
    Ok(Identity {
        account: account.to_string(),
        partition: partition_of(out.arn().unwrap_or_default()),
        region: region.to_string(),
    })
}

/// The partition (`aws`, `aws-cn`, `aws-us-gov`) is the second field of any ARN; `aws` when
/// the caller's ARN is missing.
fn partition_of(arn: &str) -> String {
    match arn.split(':').nth(1) {
        Some(p) if arn.starts_with("arn:") && !p.is_empty() => p.to_string(),
        _ => "aws".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_partition_comes_from_the_arn() {
        assert_eq!(super::partition_of("arn:aws-cn:iam::1:user/x"), "aws-cn");
        assert_eq!(
            super::partition_of("arn:aws:sts::1:assumed-role/r/s"),
            "aws"
        );
        assert_eq!(super::partition_of(""), "aws");
    }
}
