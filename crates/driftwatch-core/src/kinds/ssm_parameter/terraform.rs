//! `aws_ssm_parameter` from a Terraform state, in the shape of a `DescribeParameters` item.
//! Its `value` and `insecure_value` never reach here: they are dropped when the state is read.
//! Pure.

use serde_json::{Map, Value};

use crate::terraform::map::{attr, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let mut doc = Map::new();
    doc.insert("Name".into(), Value::from(name.clone()));
    for (field, attribute) in [
        ("Type", "type"),
        ("Tier", "tier"),
        ("DataType", "data_type"),
        ("Description", "description"),
        ("KeyId", "key_id"),
        ("AllowedPattern", "allowed_pattern"),
    ] {
        doc.insert(field.into(), attr(a, attribute));
    }
    doc.insert("Tags".into(), tags(a));
    Some((name, Value::Object(doc)))
}

#[cfg(test)]
mod tests {
    use super::from_terraform;
    use crate::kinds::ssm_parameter::normalize::normalize;
    use serde_json::json;

    /// A provider 5.x state compares equal to what `DescribeParameters` returns for it.
    #[test]
    fn a_provider_5_parameter_maps_to_the_canonical_document() {
        let a = json!({"name": "/app/db/host", "id": "/app/db/host",
            "arn": "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host",
            "type": "SecureString", "tier": "Standard", "data_type": "text",
            "description": "", "key_id": "alias/aws/ssm", "allowed_pattern": "",
            "overwrite": null, "version": 3, "tags": {}, "tags_all": {"team": "core"}});
        let (id, doc) = from_terraform(&a).unwrap();
        assert_eq!(id, "/app/db/host");
        let aws = json!({"Name": "/app/db/host", "Type": "SecureString",
            "KeyId": "alias/aws/ssm", "Tier": "Standard", "DataType": "text", "Version": 3,
            "LastModifiedDate": 1.7e9, "Tags": [{"Key": "team", "Value": "core"}]});
        assert_eq!(normalize(doc), normalize(aws));
    }
}
