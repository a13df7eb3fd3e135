//! `aws_secretsmanager_secret`: every secret's metadata (never its value), with its resource
//! policy. Secrets another service owns (RDS's `rds!db-…`) are that service's: left out unless
//! `--include-aws-managed`, so they are never unmanaged and get no import block.

pub mod normalize;
mod related;
mod schema;
pub mod terraform;

use serde_json::Value;

use super::Def;
use crate::model::{Identity, Kind};

/// Terraform imports a secret by its ARN, which ends in a random suffix AWS chose
/// (`…:secret:NAME-AbCdEf`): it cannot be built from the name and the account, only read. The
/// live fetch hands this function the `ListSecrets` entry as AWS returned it (ARN included); a
/// canonical document (a snapshot folder) has no ARN, and then there is no import id.
fn import_id(_: &str, doc: &Value, _: Option<&Identity>) -> Option<String> {
    doc.get("ARN")
        .and_then(Value::as_str)
        .filter(|a| a.starts_with("arn:"))
        .map(str::to_string)
}

/// A secret another AWS service created and rotates: `ListSecrets` names the service in
/// `OwningService`, and such secrets are named `SERVICE!…` (`rds!db-…`), a character AWS
/// refuses in the names of secrets users create.
fn is_aws_owned(doc: &Value) -> bool {
    let owned_by_service = doc
        .get("OwningService")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    let service_name = doc
        .get("Name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.contains('!'));
    owned_by_service || service_name
}

pub static DEF: Def = Def {
    kind: Kind::SecretsmanagerSecret,
    name: "aws_secretsmanager_secret",
    noun: "secret",
    id: "the secret name",
    name_field: None,
    global: false,
    // Never GetSecretValue or BatchGetSecretValue: driftwatch reads no secret value.
    actions: &[
        "secretsmanager:ListSecrets",
        "secretsmanager:GetResourcePolicy",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::SECRET],
    related: related::RELATED,
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned,
    import_id,
};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{import_id, is_aws_owned, normalize::normalize};

    /// A `ListSecrets` entry of the master-user secret RDS creates for an instance with
    /// `ManageMasterUserPassword` (AWS-shaped; moto has no `OwningService`).
    fn rds_owned() -> serde_json::Value {
        json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf",
            "Name": "rds!db-0a1b2c3d-4e5f", "OwningService": "rds",
            "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1111",
            "RotationEnabled": true, "RotationRules": {"AutomaticallyAfterDays": 7,
                "ScheduleExpression": "rate(7 days)"},
            "Tags": [{"Key": "aws:rds:primaryDBInstanceArn",
                "Value": "arn:aws:rds:us-east-1:123456789012:db:main"}]
        })
    }

    #[test]
    fn a_secret_a_service_owns_is_aws_owned_and_a_users_is_not() {
        assert!(is_aws_owned(&normalize(rds_owned())));
        let mut no_service = rds_owned();
        no_service.as_object_mut().unwrap().remove("OwningService");
        assert!(is_aws_owned(&normalize(no_service)), "the `!` name alone");
        assert!(!is_aws_owned(&normalize(json!({"Name": "db-url"}))));
    }

    #[test]
    fn the_import_id_is_the_arn_aws_returned_and_none_without_it() {
        assert_eq!(
            import_id("x", &rds_owned(), None).as_deref(),
            Some(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf"
            )
        );
        assert_eq!(import_id("db-url", &normalize(rds_owned()), None), None);
    }
}
