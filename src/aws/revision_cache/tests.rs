//! The cache's keys and validation, on documents shaped as AWS's DescribeTaskDefinition
//! returns them (moto leaves out `registeredAt`, `registeredBy` and `requiresAttributes`).

use serde_json::{json, Value};

use super::RevisionCache;
use crate::model::Identity;

const ARN: &str = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7";

fn identity() -> Identity {
    Identity {
        account: "111122223333".into(),
        partition: "aws".into(),
        region: "eu-west-1".into(),
    }
}

/// A DescribeTaskDefinition response as AWS sends it (include=TAGS).
fn aws_response(arn: &str, status: &str) -> Value {
    json!({
        "taskDefinition": {
            "taskDefinitionArn": arn,
            "family": "web",
            "revision": 7,
            "status": status,
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "essential": true}],
            "networkMode": "awsvpc",
            "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
            "compatibilities": ["EC2", "FARGATE"],
            "registeredAt": "2026-11-02T10:00:00.000Z",
            "registeredBy": "arn:aws:iam::111122223333:role/deployer"
        },
        "tags": [{"key": "team", "value": "web"}]
    })
}

fn cache() -> (tempfile::TempDir, RevisionCache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = RevisionCache::open(dir.path(), &identity(), None);
    (dir, cache)
}

#[test]
fn an_active_revision_comes_back_without_its_tags() {
    let (_dir, cache) = cache();
    assert!(!cache.has_entries());
    cache.put_all([&aws_response(ARN, "ACTIVE")], |_| true);
    assert!(cache.has_entries());
    let got = cache.get(ARN).expect("cached");
    assert_eq!(
        got["taskDefinition"],
        aws_response(ARN, "ACTIVE")["taskDefinition"]
    );
    assert_eq!(got.get("tags"), None, "tags can change on a revision");
    assert_eq!(cache.get(&ARN.replace(":7", ":8")), None);
}

#[test]
fn inactive_and_foreign_revisions_are_never_stored() {
    let (_dir, cache) = cache();
    let other_account = ARN.replace("111122223333", "444455556666");
    let other_region = ARN.replace("eu-west-1", "us-east-1");
    cache.put_all(
        [
            &aws_response(ARN, "INACTIVE"),
            &aws_response(&other_account, "ACTIVE"),
            &aws_response(&other_region, "ACTIVE"),
        ],
        |_| true,
    );
    assert!(!cache.has_entries());
}

#[test]
fn corrupt_misplaced_and_foreign_entries_are_ignored() {
    let (_dir, cache) = cache();
    let write = |arn: &str, bytes: &[u8]| {
        std::fs::create_dir_all(&cache.dir).unwrap();
        std::fs::write(cache.path(arn), bytes).unwrap();
    };
    write(ARN, b"{\"taskDefinition\": {\"taskDef");
    assert_eq!(cache.get(ARN), None, "cut short");
    // Another revision's document under this ARN's key (copied, or a bug).
    let web6 = ARN.replace(":7", ":6");
    write(ARN, aws_response(&web6, "ACTIVE").to_string().as_bytes());
    assert_eq!(cache.get(ARN), None, "another revision");
    // An entry of another account, looked up by its own ARN from this account's cache.
    let foreign = ARN.replace("111122223333", "444455556666");
    write(
        &foreign,
        aws_response(&foreign, "ACTIVE").to_string().as_bytes(),
    );
    assert_eq!(cache.get(&foreign), None, "another account");
    // A valid entry replaces the bad one.
    cache.put_all([&aws_response(ARN, "ACTIVE")], |_| true);
    assert!(cache.get(ARN).is_some());
}

#[test]
fn each_account_region_and_endpoint_has_its_own_folder() {
    let root = std::path::Path::new("/c");
    let aws = RevisionCache::open(root, &identity(), None);
    let local = RevisionCache::open(root, &identity(), Some("http://127.0.0.1:5000"));
    let other = RevisionCache::open(root, &identity(), Some("http://127.0.0.1:5001"));
    assert_eq!(
        aws.dir,
        root.join("task-definitions/aws-111122223333-eu-west-1")
    );
    assert_ne!(local.dir, aws.dir);
    assert_ne!(local.dir, other.dir);
    // The file name is the ARN's digest: no ARN character reaches the file system.
    assert_eq!(aws.path(ARN).file_name().unwrap().len(), 64 + ".json".len());
}

#[test]
fn what_storable_refuses_is_not_stored() {
    let (_dir, cache) = cache();
    cache.put_all([&aws_response(ARN, "ACTIVE")], |entry| {
        entry.get("tags").is_none() && entry["taskDefinition"]["family"] != "web"
    });
    assert!(!cache.has_entries());
}
