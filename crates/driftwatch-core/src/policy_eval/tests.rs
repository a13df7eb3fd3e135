use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/worker";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:jobs";

fn me() -> Principal<'static> {
    Principal { arn: ROLE }
}

fn identity(doc: &Value) -> Policy<'_> {
    Policy {
        name: "inline policy p",
        role: Role::Identity,
        document: doc,
    }
}

fn eval(policies: &[Policy], action: &str) -> Decision {
    evaluate(policies, me(), action, QUEUE)
}

#[test]
fn allow_matches_and_names_its_statement() {
    let doc = json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Sid": "Consume", "Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": QUEUE}]});
    let d = eval(&[identity(&doc)], "sqs:ReceiveMessage");
    assert!(d.is_allowed());
    assert_eq!(
        d.to_string(),
        "allowed by statement `Consume` of inline policy p"
    );
    assert_eq!(
        eval(&[identity(&doc)], "sqs:SendMessage"),
        Decision::ImplicitDeny
    );
}

#[test]
fn single_statement_object_and_string_elements_are_read() {
    let doc = json!({"Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": QUEUE}});
    assert!(eval(&[identity(&doc)], "sqs:SendMessage").is_allowed());
}

#[test]
fn explicit_deny_wins_over_any_allow() {
    let allow = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let deny = json!({"Statement": [{"Effect": "Deny", "Action": "sqs:Send*", "Resource": QUEUE}]});
    let d = eval(&[identity(&allow), identity(&deny)], "sqs:SendMessage");
    assert!(matches!(d, Decision::ExplicitDeny(ref s) if s.index == 0));
    assert!(eval(&[identity(&allow), identity(&deny)], "sqs:ReceiveMessage").is_allowed());
}

#[test]
fn actions_compare_case_insensitively_resources_case_sensitively() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "SQS:receivemessage",
        "Resource": "arn:aws:sqs:us-east-1:123456789012:Jobs"}]});
    assert_eq!(
        eval(&[identity(&doc)], "sqs:ReceiveMessage"),
        Decision::ImplicitDeny
    );
    let lower = json!({"Statement": [{"Effect": "Allow", "Action": "SQS:receivemessage",
        "Resource": QUEUE}]});
    assert!(eval(&[identity(&lower)], "sqs:ReceiveMessage").is_allowed());
}

#[test]
fn not_action_and_not_resource_match_everything_else() {
    let doc = json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]});
    assert!(eval(&[identity(&doc)], "sqs:SendMessage").is_allowed());
    assert_eq!(
        eval(&[identity(&doc)], "iam:PassRole"),
        Decision::ImplicitDeny
    );
    let nr = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*",
        "NotResource": "arn:aws:sqs:*:*:jobs"}]});
    assert_eq!(
        eval(&[identity(&nr)], "sqs:SendMessage"),
        Decision::ImplicitDeny
    );
    let d = evaluate(
        &[identity(&nr)],
        me(),
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:1:other",
    );
    assert!(d.is_allowed());
}

#[test]
fn question_mark_is_exactly_one_character() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*",
        "Resource": "arn:aws:sqs:us-east-1:123456789012:jo?s"}]});
    assert!(eval(&[identity(&doc)], "sqs:SendMessage").is_allowed());
    let d = evaluate(
        &[identity(&doc)],
        me(),
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:123456789012:jos",
    );
    assert_eq!(d, Decision::ImplicitDeny);
}

#[test]
fn a_condition_allows_only_under_conditions() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": QUEUE,
        "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}}]});
    let d = eval(&[identity(&doc)], "sqs:SendMessage");
    assert!(matches!(d, Decision::Conditional(_)));
    assert!(!d.is_allowed());
    // An unconditional allow elsewhere is a plain allow.
    let plain =
        json!({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]});
    assert!(eval(&[identity(&doc), identity(&plain)], "sqs:SendMessage").is_allowed());
}

#[test]
fn a_conditional_deny_makes_an_allow_conditional() {
    let allow = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]});
    let deny = json!({"Statement": [{"Effect": "Deny", "Action": "sqs:*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:SourceVpc": ["vpc-1"]}}}]});
    let d = eval(&[identity(&allow), identity(&deny)], "sqs:SendMessage");
    assert!(matches!(d, Decision::Conditional(_)), "{d:?}");
}

#[test]
fn policy_variables_match_only_under_conditions() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*",
        "Resource": "arn:aws:sqs:us-east-1:123456789012:${aws:PrincipalTag/queue}"}]});
    assert!(matches!(
        eval(&[identity(&doc)], "sqs:SendMessage"),
        Decision::Conditional(_)
    ));
}

#[test]
fn a_permissions_boundary_limits_identity_grants() {
    let allow = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]});
    let boundary_doc = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]});
    let boundary = Policy {
        name: "boundary",
        role: Role::Boundary,
        document: &boundary_doc,
    };
    let both = [identity(&allow), boundary];
    assert!(eval(&both, "sqs:ReceiveMessage").is_allowed());
    let d = eval(&both, "sqs:SendMessage");
    assert!(matches!(d, Decision::OutsideBoundary(_)), "{d:?}");
    assert!(d.to_string().contains("permissions boundary"));
    // A boundary alone grants nothing.
    assert_eq!(
        eval(&[boundary], "sqs:ReceiveMessage"),
        Decision::ImplicitDeny
    );
}

#[test]
fn a_resource_policy_grants_to_the_principals_it_names() {
    let named = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": [ROLE]},
        "Action": "sqs:SendMessage", "Resource": QUEUE}]});
    let account = json!({"Statement": [{"Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
        "Action": "sqs:SendMessage", "Resource": QUEUE}]});
    let resource = |d| Policy {
        name: "queue policy",
        role: Role::Resource,
        document: d,
    };
    assert!(eval(&[resource(&named)], "sqs:SendMessage").is_allowed());
    // Naming the account delegates to identity policies: no grant by itself.
    assert_eq!(
        eval(&[resource(&account)], "sqs:SendMessage"),
        Decision::ImplicitDeny
    );
    let deny = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": QUEUE}]});
    let allow = json!({"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]});
    assert!(matches!(
        eval(&[identity(&allow), resource(&deny)], "sqs:SendMessage"),
        Decision::ExplicitDeny(_)
    ));
}

#[test]
fn trust_policies_name_the_service() {
    let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole"}]});
    assert!(trusts_service(&trust, "trust policy", "ecs-tasks.amazonaws.com").is_allowed());
    let lambda = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
        "Action": ["sts:assumerole"]}]});
    assert_eq!(
        trusts_service(&lambda, "trust policy", "ecs-tasks.amazonaws.com"),
        Decision::ImplicitDeny
    );
    let web = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity"}]});
    assert_eq!(
        trusts_service(&web, "trust policy", "ecs-tasks.amazonaws.com"),
        Decision::ImplicitDeny
    );
}

#[test]
fn wildcard_examples() {
    assert!(wildcard::matches("*", ""));
    assert!(wildcard::matches(
        "arn:aws:iam::*:role/*",
        "arn:aws:iam::1:role/a/b"
    ));
    assert!(!wildcard::matches(
        "arn:aws:iam::*:role/a",
        "arn:aws:iam::1:role/ab"
    ));
    assert!(wildcard::matches("a*b*c", "aXbYbZc"));
    assert!(!wildcard::matches("a?c", "ac"));
}

/// A regex that means what an IAM wildcard pattern means, as an independent oracle.
fn oracle(pattern: &str, text: &str) -> bool {
    let mut re = String::from("^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str("(?s:.*)"),
            '?' => re.push_str("(?s:.)"),
            c => re.push_str(&regex_lite::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex_lite::Regex::new(&re).unwrap().is_match(text)
}

proptest! {
    #[test]
    fn wildcard_agrees_with_a_regex(pattern in "[ab*?:/]{0,8}", text in "[ab:/]{0,10}") {
        prop_assert_eq!(wildcard::matches(&pattern, &text), oracle(&pattern, &text));
    }

    #[test]
    fn a_text_matches_itself_and_star(text in "[a-z:/.-]{0,20}") {
        prop_assert!(wildcard::matches(&text, &text));
        prop_assert!(wildcard::matches("*", &text));
        let stars: String = text.chars().map(|_| '?').collect();
        prop_assert!(wildcard::matches(&stars, &text));
    }
}
