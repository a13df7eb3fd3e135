//! The AWS shape, a user's minimal document and Terraform states of one table agree.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

/// `DescribeTable` of an on-demand lock table as AWS returns it, with every default AWS fills
/// in (0/0 capacity, warm throughput, -1 on-demand limits, no SSE description, no class
/// summary), plus `DescribeContinuousBackups` and `DescribeTimeToLive` of a table with both off.
fn aws_on_demand() -> Value {
    json!({
        "TableName": "tf-locks",
        "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tf-locks",
        "TableId": "0b7e7a4e-1111-2222-3333-444455556666", "TableStatus": "ACTIVE",
        "CreationDateTime": 1.7e9, "ItemCount": 3, "TableSizeBytes": 240,
        "AttributeDefinitions": [{"AttributeName": "LockID", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "LockID", "KeyType": "HASH"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST",
            "LastUpdateToPayPerRequestDateTime": 1.7e9},
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
            "WriteCapacityUnits": 0},
        "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
            "Status": "ACTIVE"},
        "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1},
        "DeletionProtectionEnabled": false,
        "ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}},
        "TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"},
        "Tags": [{"Key": "team", "Value": "platform"}]
    })
}

fn minimal() -> Value {
    json!({"TableName": "tf-locks", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": {"LockID": "HASH"}, "AttributeDefinitions": {"LockID": "S"},
        "Tags": {"team": "platform"}})
}

#[test]
fn an_on_demand_table_at_the_defaults_is_its_keys_alone() {
    assert_eq!(normalize(aws_on_demand()), minimal());
    assert_eq!(normalize(minimal()), minimal());
}

/// Every setting on, as AWS describes it.
fn aws_everything() -> Value {
    let mut t = aws_on_demand();
    t["BillingModeSummary"] = json!({"BillingMode": "PROVISIONED"});
    t["ProvisionedThroughput"] = json!({"NumberOfDecreasesToday": 1, "ReadCapacityUnits": 5,
        "WriteCapacityUnits": 2, "LastIncreaseDateTime": 1.7e9});
    t["AttributeDefinitions"] = json!([{"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"}, {"AttributeName": "gsi", "AttributeType": "S"}]);
    t["KeySchema"] = json!([{"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"}]);
    t["GlobalSecondaryIndexes"] = json!([{"IndexName": "by-gsi", "IndexStatus": "ACTIVE",
        "IndexArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tf-locks/index/by-gsi",
        "IndexSizeBytes": 0, "ItemCount": 0,
        "KeySchema": [{"AttributeName": "gsi", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["b", "a"]},
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 1,
            "WriteCapacityUnits": 1},
        "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000}}]);
    t["LocalSecondaryIndexes"] = json!([{"IndexName": "by-gsi-local", "IndexSizeBytes": 0,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "gsi", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"}}]);
    t["AttributeDefinitions"]
        .as_array_mut()
        .unwrap()
        .sort_by_key(|a| a["AttributeName"].to_string());
    t["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"});
    t["LatestStreamArn"] = json!("arn:aws:dynamodb:us-east-1:123456789012:table/tf-locks/stream/x");
    t["SSEDescription"] = json!({"Status": "ENABLED", "SSEType": "KMS",
        "KMSMasterKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"});
    t["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"] =
        json!({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35});
    t["TimeToLiveDescription"] = json!({"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"});
    t["DeletionProtectionEnabled"] = json!(true);
    t["TableClassSummary"] = json!({"TableClass": "STANDARD_INFREQUENT_ACCESS"});
    t
}

fn everything() -> Value {
    json!({
        "TableName": "tf-locks", "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2},
        "KeySchema": {"pk": "HASH", "sk": "RANGE"},
        "AttributeDefinitions": {"pk": "S", "sk": "N", "gsi": "S"},
        "GlobalSecondaryIndexes": {"by-gsi": {"KeySchema": {"gsi": "HASH"},
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}},
        "LocalSecondaryIndexes": {"by-gsi-local": {"KeySchema": {"pk": "HASH", "gsi": "RANGE"},
            "Projection": {"ProjectionType": "KEYS_ONLY"}}},
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
        "SSESpecification": {"SSEType": "KMS", "KMSMasterKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"},
        "PointInTimeRecoveryEnabled": true,
        "TimeToLive": {"AttributeName": "expires", "Enabled": true},
        "DeletionProtectionEnabled": true,
        "TableClass": "STANDARD_INFREQUENT_ACCESS",
        "Tags": {"team": "platform"}
    })
}

#[test]
fn a_provisioned_table_with_every_setting_keeps_each() {
    assert_eq!(normalize(aws_everything()), everything());
    assert_eq!(normalize(everything()), everything());
}

#[test]
fn provisioned_and_on_demand_differ_and_capacity_counts_only_when_provisioned() {
    let mut provisioned = aws_on_demand();
    provisioned
        .as_object_mut()
        .unwrap()
        .remove("BillingModeSummary");
    provisioned["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 5});
    let n = normalize(provisioned);
    assert_eq!(n["BillingMode"], "PROVISIONED", "no summary is PROVISIONED");
    assert_eq!(
        n["ProvisionedThroughput"],
        json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    );
    assert_ne!(n, minimal());
}

/// A provider 5.x state of the same lock table, on-demand, everything else at the defaults
/// (refresh writes `ttl { attribute_name = "", enabled = false }` and 0 capacities).
fn state_on_demand() -> Value {
    json!({"name": "tf-locks", "id": "tf-locks", "arn": "arn:aws:dynamodb:us-east-1:123456789012:table/tf-locks",
        "billing_mode": "PAY_PER_REQUEST", "read_capacity": 0, "write_capacity": 0,
        "hash_key": "LockID", "range_key": "", "attribute": [{"name": "LockID", "type": "S"}],
        "global_secondary_index": [], "local_secondary_index": [],
        "stream_enabled": false, "stream_view_type": "", "stream_arn": "", "stream_label": "",
        "server_side_encryption": [], "point_in_time_recovery": [{"enabled": false}],
        "ttl": [{"attribute_name": "", "enabled": false}], "deletion_protection_enabled": false,
        "table_class": "STANDARD", "tags": {"team": "platform"}, "tags_all": {"team": "platform"},
        "replica": [], "restore_date_time": null, "restore_source_name": null,
        "restore_to_latest_time": null, "import_table": [], "timeouts": null})
}

#[test]
fn a_state_at_the_defaults_maps_to_the_minimal_document() {
    let (id, doc) = from_terraform(&state_on_demand()).unwrap();
    assert_eq!(id, "tf-locks");
    assert_eq!(normalize(doc), minimal());
}

#[test]
fn encryption_disabled_is_the_aws_owned_key_like_no_block() {
    let mut s = state_on_demand();
    s["server_side_encryption"] = json!([{"enabled": false, "kms_key_arn": ""}]);
    assert_eq!(normalize(from_terraform(&s).unwrap().1), minimal());
    let mut aws = aws_on_demand();
    aws["SSESpecification"] = json!({"Enabled": false});
    assert_eq!(normalize(aws), minimal());
}

#[test]
fn a_state_with_every_setting_maps_to_the_aws_document() {
    let s = json!({"name": "tf-locks", "billing_mode": "PROVISIONED", "read_capacity": 5,
        "write_capacity": 2, "hash_key": "pk", "range_key": "sk",
        "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "N"}, {"name": "gsi", "type": "S"}],
        "global_secondary_index": [{"name": "by-gsi", "hash_key": "gsi", "range_key": "",
            "projection_type": "INCLUDE", "non_key_attributes": ["b", "a"],
            "read_capacity": 1, "write_capacity": 1}],
        "local_secondary_index": [{"name": "by-gsi-local", "range_key": "gsi",
            "projection_type": "KEYS_ONLY", "non_key_attributes": []}],
        "stream_enabled": true, "stream_view_type": "NEW_IMAGE",
        "server_side_encryption": [{"enabled": true, "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k"}],
        "point_in_time_recovery": [{"enabled": true, "recovery_period_in_days": 35}],
        "ttl": [{"attribute_name": "expires", "enabled": true}],
        "deletion_protection_enabled": true, "table_class": "STANDARD_INFREQUENT_ACCESS",
        "tags": {"team": "platform"}, "tags_all": {"team": "platform"}});
    assert_eq!(normalize(from_terraform(&s).unwrap().1), everything());
}

/// The attributes of the one instance of `resource` in a fixture state.
fn fixture(rel: &str, resource: &str) -> Value {
    let path = format!("{}/tests/fixtures/terraform-state/{rel}", repo!());
    let state: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == resource)
        .unwrap()["instances"][0]["attributes"]
        .clone()
}

/// Provider 3.x cannot know deletion protection (4.x) or the table class (3.72): unknown,
/// not "off". A 5.x state knows both.
#[test]
fn what_a_provider_3_state_cannot_know_is_unknown_not_the_default() {
    use crate::terraform::map::schema::unknown_paths;
    let old = unknown_paths(
        "aws_dynamodb_table",
        &fixture("provider3/dynamodb.tfstate", "locks"),
    );
    for p in ["/DeletionProtectionEnabled", "/TableClass"] {
        assert!(old.iter().any(|u| u == p), "{p}: {old:?}");
    }
    assert!(!old.iter().any(|u| u == "/KeySchema"), "{old:?}");
    let new = unknown_paths(
        "aws_dynamodb_table",
        &fixture("provider5/dynamodb.tfstate", "locks"),
    );
    assert!(new.is_empty(), "{new:?}");
}

#[test]
fn the_fixture_states_map_to_canonical_documents() {
    let (_, old) = from_terraform(&fixture("provider3/dynamodb.tfstate", "locks")).unwrap();
    assert_eq!(
        normalize(old),
        json!({"TableName": "tf-locks", "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            "KeySchema": {"LockID": "HASH"}, "AttributeDefinitions": {"LockID": "S"},
            "Tags": {"Name": "tf-locks"}})
    );
    let (_, orders) = from_terraform(&fixture("provider5/dynamodb.tfstate", "orders")).unwrap();
    assert_eq!(
        normalize(orders),
        json!({"TableName": "orders", "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2},
            "KeySchema": {"pk": "HASH", "sk": "RANGE"},
            "AttributeDefinitions": {"pk": "S", "sk": "N", "status": "S"},
            "GlobalSecondaryIndexes": {"by-status": {"KeySchema": {"status": "HASH"},
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["customer", "total"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}},
            "LocalSecondaryIndexes": {"by-sk-status": {"KeySchema": {"pk": "HASH", "status": "RANGE"},
                "Projection": {"ProjectionType": "KEYS_ONLY"}}},
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "SSESpecification": {"SSEType": "KMS",
                "KMSMasterKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
            "TimeToLive": {"AttributeName": "expires_at", "Enabled": true},
            "TableClass": "STANDARD_INFREQUENT_ACCESS",
            "Tags": {"app": "shop", "env": "prod"}})
    );
}
