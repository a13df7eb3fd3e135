//! The blocks are parsed back with an HCL parser (hcl-edit) and compared; each kind's import id is
//! checked against the format the AWS provider documents in the `Import` section of its page
//! (hashicorp/terraform-provider-aws, `website/docs/r/<type>.html.markdown`), quoted per kind.

use serde_json::{json, Value};

use super::*;
use crate::diff::{ReferenceKind, ReferenceKinds};
use crate::model::{Identity, Origin, Resource};

fn account() -> Identity {
    Identity {
        account: "123456789012".into(),
        partition: "aws".into(),
        region: "us-east-1".into(),
    }
}

fn unmanaged(kind: Kind, id: &str, doc: Value, target: Option<&str>) -> ResourceReport {
    ResourceReport {
        target: target.map(String::from),
        kind,
        id: id.into(),
        status: Status::Unmanaged,
        reference: ReferenceKinds::new(vec![ReferenceKind::Golden, ReferenceKind::Terraform]),
        partial: false,
        changes: Vec::new(),
        expected: None,
        actual: Some(Resource {
            document: doc,
            origin: Origin(format!("live {kind} {id}")),
            scope: Default::default(),
        }),
        seen: None,
    }
}

/// A report of unmanaged resources, each with the import id its kind reads from `raw` (the
/// document as AWS returns it).
fn report(found: Vec<(Kind, &str, Value, Option<&str>)>) -> Report {
    let mut resources = Vec::new();
    let mut ids = BTreeMap::new();
    for (kind, id, raw, target) in found {
        if let Some(i) = (kind.def().import_id)(id, &raw, Some(&account())) {
            ids.insert((target.map(String::from), kind, id.to_string()), i);
        }
        resources.push(unmanaged(kind, id, raw, target));
    }
    let mut r = Report::new(resources, Vec::new(), "live (us-east-1)");
    r.references = vec!["golden".into(), "prod.tfstate".into()];
    r.import_ids = ids;
    r
}

/// `(to, id)` of every `import` block of `text`, parsed as HCL (hcl-edit); anything else
/// fails.
fn blocks(text: &str) -> Vec<(String, String)> {
    use hcl_edit::expr::{Expression, TraversalOperator};
    use hcl_edit::structure::Structure;
    let body =
        hcl_edit::parser::parse_body(text).unwrap_or_else(|e| panic!("not HCL: {e}\n{text}"));
    body.into_iter()
        .map(|s| {
            let Structure::Block(b) = s else {
                panic!("not a block: {s:?}")
            };
            assert_eq!(b.ident.as_str(), "import");
            assert!(b.labels.is_empty());
            let (mut to, mut id) = (None, None);
            for s in b.body {
                let Structure::Attribute(a) = s else {
                    panic!("not an attribute: {s:?}")
                };
                match (a.key.as_str(), a.value) {
                    ("to", Expression::Traversal(t)) => {
                        let Expression::Variable(v) = &t.expr else {
                            panic!("not a resource address: {t:?}")
                        };
                        let mut address = v.as_str().to_string();
                        for op in &t.operators {
                            let TraversalOperator::GetAttr(name) = op.value() else {
                                panic!("not a resource address: {t:?}")
                            };
                            address.push('.');
                            address.push_str(name.as_str());
                        }
                        assert!(to.replace(address).is_none(), "two `to`");
                    }
                    ("id", Expression::String(s)) => {
                        assert!(id.replace(s.value().clone()).is_none(), "two `id`");
                    }
                    (k, v) => panic!("unexpected attribute {k} = {v:?}"),
                }
            }
            (to.expect("a `to`"), id.expect("an `id`"))
        })
        .collect()
}

fn every_kind() -> Vec<(Kind, &'static str, Value, Option<&'static str>)> {
    vec![
        // DescribeTaskDefinition's answer, wrapped as the API returns it.
        (
            Kind::EcsTaskDefinition,
            "tmp-debug",
            json!({"taskDefinition": {
                "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/tmp-debug:3",
                "family": "tmp-debug", "revision": 3, "containerDefinitions": []}, "tags": []}),
            None,
        ),
        (
            Kind::EcsService,
            "prod/tmp-debug",
            json!({"serviceName": "tmp-debug"}),
            None,
        ),
        (
            Kind::IamRole,
            "tmp-debug-role",
            json!({"RoleName": "tmp-debug-role"}),
            None,
        ),
        (
            Kind::IamPolicy,
            "tmp-debug",
            json!({"PolicyName": "tmp-debug", "Path": "/debug/",
                   "Arn": "arn:aws:iam::123456789012:policy/debug/tmp-debug"}),
            None,
        ),
        (
            Kind::SqsQueue,
            "tmp-debug-queue",
            json!({"QueueName": "tmp-debug-queue",
                   "QueueArn": "arn:aws:sqs:us-east-1:123456789012:tmp-debug-queue"}),
            None,
        ),
        (
            Kind::SecurityGroup,
            "sg-0123456789abcdef0",
            json!({"GroupId": "sg-0123456789abcdef0", "GroupName": "Tmp debug (SSH)"}),
            None,
        ),
    ]
}

#[test]
fn every_kind_gets_a_block_with_its_documented_import_id() {
    let text = render(&report(every_kind()));
    assert_eq!(
        blocks(&text),
        [
            // ecs_task_definition.html.markdown: "ECS Task Definitions can be imported via
            // their Amazon Resource Name (ARN)": arn:aws:ecs:us-east-1:012345678910:
            // task-definition/mytaskfamily:123 (family and revision).
            (
                "aws_ecs_task_definition.tmp_debug",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/tmp-debug:3"
            ),
            // ecs_service.html.markdown: "import ECS services using the `name` together with
            // ecs cluster `name`": id = "cluster-name/service-name".
            ("aws_ecs_service.prod_tmp_debug", "prod/tmp-debug"),
            // iam_role.html.markdown: "IAM Roles can be imported using the `name`".
            ("aws_iam_role.tmp_debug_role", "tmp-debug-role"),
            // iam_policy.html.markdown: "IAM Policies can be imported using the `arn`":
            // arn:aws:iam::123456789012:policy/UsersManageOwnCredentials.
            (
                "aws_iam_policy.tmp_debug",
                "arn:aws:iam::123456789012:policy/debug/tmp-debug"
            ),
            // sqs_queue.html.markdown: "import SQS Queues using the queue `url`":
            // id = "https://queue.amazonaws.com/80398EXAMPLE/MyQueue".
            (
                "aws_sqs_queue.tmp_debug_queue",
                "https://sqs.us-east-1.amazonaws.com/123456789012/tmp-debug-queue"
            ),
            // security_group.html.markdown: "Security Groups can be imported using the
            // `security group id`": sg-903004f8. The address takes the group's name.
            ("aws_security_group.tmp_debug_ssh", "sg-0123456789abcdef0"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // A comment above each block names what was found and where.
    assert!(text.contains(
        "# aws_sqs_queue tmp-debug-queue: found in live (us-east-1), described by neither \
         golden nor prod.tfstate\nimport {"
    ));
    assert!(text.contains("terraform plan -generate-config-out=generated.tf"));
}

#[test]
fn canonical_documents_give_the_same_ids_from_the_account_where_the_kind_allows() {
    // A snapshot folder's documents: no ARNs. Policies and queues are rebuilt from the account;
    // a task definition's revision is gone, so it has none.
    let a = account();
    let policy = json!({"PolicyName": "tmp-debug", "Path": "/debug/"});
    assert_eq!(
        (Kind::IamPolicy.def().import_id)("tmp-debug", &policy, Some(&a)).as_deref(),
        Some("arn:aws:iam::123456789012:policy/debug/tmp-debug")
    );
    let default_path = json!({"PolicyName": "deploy"});
    assert_eq!(
        (Kind::IamPolicy.def().import_id)("deploy", &default_path, Some(&a)).as_deref(),
        Some("arn:aws:iam::123456789012:policy/deploy")
    );
    let queue = json!({"QueueName": "jobs"});
    assert_eq!(
        (Kind::SqsQueue.def().import_id)("jobs", &queue, Some(&a)).as_deref(),
        Some("https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
    );
    let td = json!({"family": "api", "cpu": 256});
    assert_eq!(
        (Kind::EcsTaskDefinition.def().import_id)("api", &td, Some(&a)),
        None
    );
    assert_eq!((Kind::SqsQueue.def().import_id)("jobs", &queue, None), None);
    // China's partition has its own domain.
    let cn = json!({"QueueArn": "arn:aws-cn:sqs:cn-north-1:123456789012:jobs"});
    assert_eq!(
        (Kind::SqsQueue.def().import_id)("jobs", &cn, None).as_deref(),
        Some("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/jobs")
    );
}

#[test]
fn a_resource_without_an_import_id_gets_a_comment_and_no_block() {
    let mut r = report(every_kind());
    r.import_ids
        .retain(|(_, k, _), _| *k != Kind::EcsTaskDefinition);
    let text = render(&r);
    assert_eq!(blocks(&text).len(), 5);
    assert!(text.contains(
        "# aws_ecs_task_definition tmp-debug: found in live (us-east-1), described by neither \
         golden nor prod.tfstate\n# its import id is not known from live (us-east-1)"
    ));
}

#[test]
fn addresses_are_identifiers_unique_in_their_type_and_stable() {
    assert_eq!(identifier("tmp-debug-queue"), "tmp_debug_queue");
    assert_eq!(identifier("prod/API..v2"), "prod_api_v2");
    assert_eq!(identifier("2024-jobs"), "r_2024_jobs");
    assert_eq!(identifier("--"), "resource");
    assert_eq!(identifier("café"), "caf");
    let q = |id: &'static str| (Kind::SqsQueue, id, json!({"QueueName": id}), None);
    let two = vec![q("Jobs"), q("jobs"), q("other"), q("x.fifo")];
    let text = render(&report(two));
    let to: Vec<String> = blocks(&text).into_iter().map(|(to, _)| to).collect();
    // `Jobs` and `jobs` meet at one name: each gets a suffix of its own id, so adding or
    // removing the other does not rename it.
    assert_eq!(to.len(), 4);
    assert!(to[0].starts_with("aws_sqs_queue.jobs_") && to[1].starts_with("aws_sqs_queue.jobs_"));
    assert_ne!(to[0], to[1]);
    assert_eq!(to[2..], ["aws_sqs_queue.other", "aws_sqs_queue.x_fifo"]);
    let again = render(&report(vec![q("Jobs"), q("jobs"), q("other"), q("x.fifo")]));
    assert_eq!(text, again);
    // Targets come in front, so the same queue in two accounts is two addresses.
    let t = |target| (Kind::SqsQueue, "jobs", json!({}), Some(target));
    let text = render(&report(vec![t("prod"), t("staging")]));
    let to: Vec<String> = blocks(&text).into_iter().map(|(to, _)| to).collect();
    assert_eq!(
        to,
        ["aws_sqs_queue.prod_jobs", "aws_sqs_queue.staging_jobs"]
    );
    assert!(text.contains("# [prod] aws_sqs_queue jobs:"));
}

#[test]
fn ids_with_quotes_and_template_marks_stay_literal() {
    assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
    assert_eq!(string("${x}%{y}$z"), r#""$${x}%%{y}$z""#);
    let text = format!("import {{\n  to = a.b\n  id = {}\n}}\n", string(r#"q"\"#));
    assert_eq!(blocks(&text), [("a.b".to_string(), r#"q"\"#.to_string())]);
}

#[test]
fn without_a_state_it_says_so_and_writes_no_block() {
    let mut r = report(every_kind());
    for x in &mut r.resources {
        x.reference = ReferenceKinds::new(vec![ReferenceKind::Golden]);
    }
    r.coverage = None;
    let text = render(&r);
    assert!(blocks(&text).is_empty());
    assert!(text.contains("no Terraform state was compared"), "{text}");
}

#[test]
fn coverage_counts_the_same_id_in_two_targets_as_two_resources() {
    let doc = json!({"GroupId": "sg-1", "GroupName": "web"});
    let r = report(vec![
        (Kind::SecurityGroup, "web", doc.clone(), Some("prod")),
        (Kind::SecurityGroup, "web", doc, Some("staging")),
    ]);
    let c = crate::diff::Coverage::of(&r);
    assert_eq!((c.live, c.described, c.percent), (2, 0, 0.0));
}
