//! `aws_ecr_repository` from a Terraform state, in the shape of `DescribeRepositories`. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, block, blocks, camel, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let filters: Vec<Value> = blocks(a, "image_tag_mutability_exclusion_filter")
        .iter()
        .map(camel)
        .collect();
    let doc = json!({
        "repositoryName": name,
        "imageTagMutability": attr(a, "image_tag_mutability"),
        "imageTagMutabilityExclusionFilters": filters,
        "imageScanningConfiguration": block(a, "image_scanning_configuration").map(|b| camel(&b)),
        "encryptionConfiguration": block(a, "encryption_configuration").map(|b| camel(&b)),
        "tags": tags(a),
    });
    Some((name, doc))
}

#[cfg(test)]
mod tests {
    use super::from_terraform;
    use crate::kinds::ecr_repository::normalize::normalize;
    use serde_json::json;

    /// A provider-5.x state of a repository created with every default.
    #[test]
    fn a_repository_at_the_defaults_maps_to_its_name_alone() {
        let a = json!({"name": "backend", "id": "backend", "arn": "arn:aws:ecr:us-east-1:123456789012:repository/backend",
            "registry_id": "123456789012", "repository_url": "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend",
            "image_tag_mutability": "MUTABLE", "force_delete": false,
            "image_scanning_configuration": [{"scan_on_push": false}],
            "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            "tags": {}, "tags_all": {}});
        let (id, doc) = from_terraform(&a).unwrap();
        assert_eq!(id, "backend");
        assert_eq!(normalize(doc), json!({"repositoryName": "backend"}));
    }

    #[test]
    fn settings_map_to_the_api_shape() {
        let a = json!({"name": "backend", "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
            "image_tag_mutability_exclusion_filter": [{"filter": "latest*", "filter_type": "WILDCARD"}],
            "image_scanning_configuration": [{"scan_on_push": true}],
            "encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:aws:kms:us-east-1:123456789012:key/k"}],
            "tags": {"app": "x"}, "tags_all": {"app": "x", "env": "prod"}});
        let (_, doc) = from_terraform(&a).unwrap();
        assert_eq!(
            normalize(doc),
            json!({"repositoryName": "backend", "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
                "imageTagMutabilityExclusionFilters": [{"filter": "latest*", "filterType": "WILDCARD"}],
                "imageScanningConfiguration": {"scanOnPush": true},
                "encryptionConfiguration": {"encryptionType": "KMS",
                    "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/k"},
                "tags": {"app": "x", "env": "prod"}})
        );
    }

    /// The lifecycle and repository policies Terraform writes as resources of their own fold
    /// into the repository, compared as documents.
    #[test]
    fn related_policies_fold_into_their_repository() {
        let path = format!(
            "{}/tests/fixtures/terraform-state/provider5/ecr_and_logs.tfstate",
            repo!()
        );
        let state = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let m = crate::terraform::map::map(crate::terraform::state::parse(state).unwrap()).unwrap();
        let backend = m
            .resources
            .iter()
            .find(|d| d.id == "retainwise/backend")
            .unwrap();
        assert!(!backend.scope.partial);
        let doc = normalize(backend.document.clone());
        assert_eq!(doc["lifecyclePolicy"]["rules"][0]["rulePriority"], 1);
        assert_eq!(
            doc["lifecyclePolicy"]["rules"][1]["description"],
            "untagged after 14 days"
        );
        assert_eq!(
            doc["repositoryPolicy"]["Statement"][0]["Action"],
            json!(["ecr:batchgetimage", "ecr:getdownloadurlforlayer"])
        );
        assert_eq!(doc["tags"], json!({"app": "retainwise", "env": "prod"}));
        // A 5.x state has no exclusion filters: unknown, not "none".
        assert!(backend
            .scope
            .unknown
            .iter()
            .any(|u| u == "/imageTagMutabilityExclusionFilters"));
        let tools = m.resources.iter().find(|d| d.id == "tools").unwrap();
        assert_eq!(
            normalize(tools.document.clone()),
            json!({"repositoryName": "tools"})
        );
    }
}
