//! Every declared kind is complete: named, fetchable (actions), mapped from Terraform with the
//! tables of each of its Terraform types, and normalized idempotently. A kind added to `Kind`
//! without all of it fails here.

use serde_json::{json, Value};

use super::{by_terraform_type, related, terraform_type, terraform_types};
use crate::model::Kind;
use crate::normalize::{normalize, normalize_raw, Redaction};

/// A small document of `kind` as its API returns it. Exhaustive: a new kind needs one.
fn aws_shaped(kind: Kind) -> Value {
    match kind {
        Kind::EcsTaskDefinition => json!({"taskDefinition": {
            "family": "web", "revision": 3, "status": "ACTIVE", "cpu": "256",
            "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true,
                "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]
        }}),
        Kind::EcsService => json!({
            "serviceName": "api", "status": "ACTIVE", "desiredCount": 2,
            "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"
        }),
        Kind::IamRole => json!({
            "RoleName": "app", "Path": "/",
            "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%7D",
            "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []
        }),
        Kind::IamPolicy => json!({
            "PolicyName": "read", "Path": "/", "DefaultVersionId": "v1",
            "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
                "Document": "%7B%22Version%22%3A%222012-10-17%22%7D"}]
        }),
        Kind::SqsQueue => json!({
            "QueueName": "jobs", "VisibilityTimeout": "30", "Tags": {"team": "a"}
        }),
        Kind::SecurityGroup => json!({
            "GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1", "Description": "web",
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        }),
        Kind::EcrRepository => json!({
            "repositoryName": "backend", "imageTagMutability": "IMMUTABLE",
            "registryId": "123456789012", "encryptionConfiguration": {"encryptionType": "AES256"},
            "lifecyclePolicy": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":50},\"action\":{\"type\":\"expire\"}}]}",
            "tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::CloudwatchLogGroup => json!({
            "logGroupName": "/ecs/backend", "retentionInDays": 30, "storedBytes": 0,
            "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend:*"
        }),
        Kind::SecretsmanagerSecret => json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf",
            "Name": "db-url", "CreatedDate": 1.7e9, "DeletedDate": 1.8e9,
            "SecretVersionsToStages": {"v1": ["AWSCURRENT"]},
            "RotationRules": {"AutomaticallyAfterDays": 30},
            "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::SsmParameter => json!({
            "Name": "/app/db/host", "Type": "String", "Tier": "Standard", "DataType": "text",
            "Version": 2, "LastModifiedDate": 1.7e9, "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::DynamodbTable => json!({
            "TableName": "tf-locks", "TableStatus": "ACTIVE",
            "KeySchema": [{"AttributeName": "LockID", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "LockID", "AttributeType": "S"}],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        }),
        Kind::LoadBalancer => json!({
            "LoadBalancerName": "web", "Type": "application", "VpcId": "vpc-1",
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
            "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-a"}],
            "Attributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "120"}],
            "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::LbTargetGroup => json!({
            "TargetGroupName": "backend", "Protocol": "HTTP", "Port": 8080, "VpcId": "vpc-1",
            "TargetType": "ip", "HealthCheckPath": "/health", "Matcher": {"HttpCode": "200"},
            "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}],
            "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::LbListener => json!({
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
            "Port": 80, "Protocol": "HTTP", "SslPolicy": "ELBSecurityPolicy-2016-08",
            "DefaultActions": [{"Type": "forward", "Order": 1,
                "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/1"}]
        }),
        Kind::LbListenerRule => json!({
            "Priority": "10", "IsDefault": false,
            "Conditions": [{"Field": "path-pattern", "Values": ["/api/*"]}],
            "Actions": [{"Type": "forward", "Order": 1,
                "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/1"}],
            "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::S3Bucket => json!({
            "Name": "tf-state", "Versioning": {"Status": "Enabled", "MFADelete": "Disabled"},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "Tags": [{"Key": "team", "Value": "a"}]
        }),
        Kind::DbInstance => json!({
            "DBInstanceIdentifier": "app", "Engine": "postgres", "EngineVersion": "16.3",
            "DBInstanceClass": "db.t4g.micro", "DBInstanceStatus": "available",
            "Endpoint": {"Address": "app.c1.us-east-1.rds.amazonaws.com", "Port": 5432},
            "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
            "TagList": [{"Key": "team", "Value": "a"}]
        }),
        Kind::RdsCluster => json!({
            "DBClusterIdentifier": "aur", "Engine": "aurora-postgresql", "EngineVersion": "15.4",
            "Status": "available", "Port": 5432, "DBClusterParameterGroup": "default.aurora8.0",
            "DBClusterMembers": [{"DBInstanceIdentifier": "aur-1", "IsClusterWriter": true}],
            "TagList": []
        }),
        Kind::DbParameterGroup => json!({
            "DBParameterGroupName": "app-pg16", "DBParameterGroupFamily": "postgres16",
            "Description": "app", "Parameters": [{"ParameterName": "log_min_duration_statement",
                "ParameterValue": "500", "Source": "user", "ApplyMethod": "pending-reboot"}],
            "TagList": [{"Key": "team", "Value": "a"}]
        }),
        Kind::DbSubnetGroup => json!({
            "DBSubnetGroupName": "app-db", "DBSubnetGroupDescription": "app", "VpcId": "vpc-1",
            "SubnetGroupStatus": "Complete", "Subnets": [{"SubnetIdentifier": "subnet-1",
                "SubnetAvailabilityZone": {"Name": "us-east-1a"}, "SubnetStatus": "Active"}],
            "TagList": []
        }),
    }
}

#[test]
fn every_kind_has_a_complete_definition() {
    let r = Redaction::default();
    for &kind in Kind::ALL {
        let def = kind.def();
        assert_eq!(
            def.kind, kind,
            "{} points at another kind's definition",
            def.name
        );
        assert_eq!(
            def.name.parse::<Kind>(),
            Ok(kind),
            "{} does not round-trip",
            def.name
        );
        assert_eq!(kind.to_string(), def.name);
        assert!(!def.actions.is_empty(), "{kind} calls no API action");
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            def.name,
            "{kind}: serde name"
        );
        assert!(
            def.terraform_types.iter().any(|t| t.name == def.name),
            "{kind}: its own Terraform type does not map to it"
        );
        for t in def.terraform_types {
            assert_eq!(
                by_terraform_type(t.name).map(|d| d.kind),
                Some(kind),
                "{}",
                t.name
            );
        }
        for r in def.related {
            let t = r.r#type.name;
            assert_eq!(related(t).map(|(d, _)| d.kind), Some(kind), "{t}");
            assert!(by_terraform_type(t).is_none(), "{t}: related and mapped");
        }
        let raw = normalize_raw(kind, aws_shaped(kind), &r);
        assert!(
            raw.as_object().is_some_and(|m| !m.is_empty()),
            "{kind}: {raw}"
        );
        assert_eq!(
            normalize(kind, raw.clone(), &r),
            raw,
            "{kind} is not idempotent"
        );
        let golden = normalize(kind, aws_shaped(kind), &r);
        assert_eq!(normalize(kind, golden.clone(), &r), golden, "{kind}");
    }
}

#[test]
fn redaction_is_the_one_passed_down() {
    let doc = aws_shaped(Kind::EcsTaskDefinition);
    let pointer = "/containerDefinitions/app/environment/DB_PASSWORD";
    let hidden = normalize_raw(Kind::EcsTaskDefinition, doc.clone(), &Redaction::default());
    assert_ne!(hidden.pointer(pointer), Some(&json!("hunter2")));
    let only_tokens = Redaction::new(&["token".to_string()]);
    let kept = normalize_raw(Kind::EcsTaskDefinition, doc, &only_tokens);
    assert_eq!(kept.pointer(pointer), Some(&json!("hunter2")));
}

/// The tables of each Terraform type a kind maps are filled in: what each attribute becomes
/// (`unknown_paths` reads them to tell what an older provider could not know), and each type
/// is declared once, so a lookup cannot find another kind's table.
#[test]
fn every_terraform_type_of_a_kind_has_its_schema_rows() {
    let mut names: Vec<&str> = terraform_types().map(|t| t.name).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "a Terraform type is declared twice");
    for &kind in Kind::ALL {
        let def = kind.def();
        for t in def.terraform_types {
            assert!(
                t.mapped.iter().any(|(_, paths)| !paths.is_empty()),
                "{kind}: {} maps no attribute to a canonical path (schema.rs)",
                t.name
            );
            assert!(
                std::ptr::eq(terraform_type(t.name).unwrap(), t),
                "{}",
                t.name
            );
        }
        for r in def.related {
            assert!(
                !r.r#type.mapped.is_empty(),
                "{kind}: related {} lists no attribute (schema.rs)",
                r.r#type.name
            );
            assert!(!r.owner_field.is_empty(), "{}", r.r#type.name);
        }
        for (attribute, path) in def.derived {
            assert!(
                def.terraform_types.iter().any(|t| t
                    .mapped
                    .iter()
                    .any(|(a, p)| a == attribute && p.contains(path))),
                "{kind}: derived {attribute} → {path} is not in its schema rows"
            );
        }
    }
}
