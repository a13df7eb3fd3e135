use proptest::prelude::*;
use serde_json::{json, Value};

use super::{decode, normalize};

fn same(a: Value, b: Value) {
    assert_eq!(normalize(a), normalize(b));
}

fn differ(a: Value, b: Value) {
    assert_ne!(normalize(a), normalize(b));
}

fn doc(statement: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statement})
}

#[test]
fn statement_object_is_a_list_of_one() {
    let s = json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"});
    same(doc(s.clone()), doc(json!([s])));
}

#[test]
fn action_and_resource_string_is_a_list_of_one_and_order_is_ignored() {
    same(
        doc(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})),
        doc(
            json!({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}),
        ),
    );
    same(
        doc(json!({"Effect": "Allow", "NotAction": ["b:X", "a:Y"], "NotResource": ["r2", "r1"]})),
        doc(json!({"Effect": "Allow", "NotAction": ["a:Y", "b:X"], "NotResource": ["r1", "r2"]})),
    );
}

#[test]
fn action_names_and_effect_are_case_insensitive() {
    same(
        doc(json!({"Effect": "allow", "Action": "SQS:sendmessage", "Resource": "*"})),
        doc(json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"})),
    );
}

#[test]
fn resources_are_case_sensitive() {
    differ(
        doc(json!({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::Bucket"})),
        doc(json!({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket"})),
    );
}

#[test]
fn condition_values_string_list_and_bool_forms_are_equal() {
    same(
        doc(json!({"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:max-keys": 10}}})),
        doc(json!({"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": ["false"]}, "NumericLessThan": {"s3:max-keys": "10"}}})),
    );
    same(
        doc(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:a/b:*", "repo:a/c:*"]}}})),
        doc(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:a/c:*", "repo:a/b:*"]}}})),
    );
}

#[test]
fn condition_key_names_are_case_insensitive_but_tag_keys_are_not() {
    let with = |op: &str, key: &str| {
        doc(
            json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*",
            "Condition": {op: {key: "123456789012"}}}),
        )
    };
    same(
        with("StringEquals", "aws:SourceAccount"),
        with("StringEquals", "AWS:sourceaccount"),
    );
    same(
        with("StringEquals", "aws:ResourceTag/Team"),
        with("StringEquals", "AWS:resourcetag/Team"),
    );
    differ(
        with("StringEquals", "aws:ResourceTag/Team"),
        with("StringEquals", "aws:ResourceTag/team"),
    );
    // Operators are not documented as case-insensitive: a re-spelt one is reported.
    differ(
        with("StringEquals", "aws:SourceAccount"),
        with("stringequals", "aws:SourceAccount"),
    );
    // Two spellings of one key in one block are two conditions, not merged into one.
    let both = doc(json!({"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": "1", "aws:sourceaccount": "2"}}}));
    let merged = normalize(both.clone());
    assert_eq!(
        merged["Statement"][0]["Condition"]["StringEquals"]
            .as_object()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(normalize(merged.clone()), merged);
}

#[test]
fn bare_account_id_principal_is_the_root_arn() {
    same(
        doc(
            json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "123456789012"}}),
        ),
        doc(json!({"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]}})),
    );
}

#[test]
fn star_principal_is_not_aws_star() {
    differ(
        doc(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"})),
        doc(json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}})),
    );
}

#[test]
fn statement_order_is_ignored_but_content_is_not() {
    let a = json!({"Effect": "Allow", "Action": "a:A", "Resource": "*"});
    let b = json!({"Effect": "Deny", "Action": "b:B", "Resource": "*"});
    same(
        doc(json!([a.clone(), b.clone()])),
        doc(json!([b.clone(), a.clone()])),
    );
    differ(doc(json!([a.clone()])), doc(json!([a, b])));
}

#[test]
fn url_encoded_documents_are_decoded() {
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    let plain = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    assert_eq!(decode(encoded).unwrap(), plain);
    same(Value::String(encoded.into()), plain.clone());
    same(Value::String(plain.to_string()), plain);
}

// Property tests: re-spellings and shuffles never change the canonical document.

fn action() -> impl Strategy<Value = String> {
    ("[a-z]{2,5}", "[A-Z][a-z]{2,8}\\*?").prop_map(|(s, a)| format!("{s}:{a}"))
}

prop_compose! {
    fn a_statement()(
        allow in any::<bool>(),
        actions in prop::collection::vec(action(), 1..5),
        resources in prop::collection::vec("arn:aws:[a-z]{2,4}:::[a-z]{1,6}", 1..4),
        cond in prop::collection::vec("[a-z0-9]{1,6}", 0..3),
        key in condition_key(),
    ) -> Value {
        let mut s = json!({"Effect": if allow {"Allow"} else {"Deny"}, "Action": actions, "Resource": resources});
        if !cond.is_empty() {
            s["Condition"] = json!({"StringEquals": {key: cond}});
        }
        s
    }
}

/// A condition key as policies spell it: `service:Name`, or `service:NameTag/TagKey`.
fn condition_key() -> impl Strategy<Value = String> {
    (
        "[a-z]{2,5}",
        "[A-Z][a-zA-Z]{2,10}",
        prop::option::of("[A-Za-z]{1,8}"),
    )
        .prop_map(|(service, name, tag)| match tag {
            Some(t) => format!("{service}:{name}Tag/{t}"),
            None => format!("{service}:{name}"),
        })
}

/// `key` with the letters before its `/` in another case (alternating upper and lower from a
/// seed), the tag key after it untouched.
fn respell_key(key: &str, seed: usize) -> String {
    let (name, rest) = match key.split_once('/') {
        Some((n, r)) => (n, Some(r)),
        None => (key, None),
    };
    let name: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if (i + seed).is_multiple_of(2) {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    match rest {
        Some(r) => format!("{name}/{r}"),
        None => name,
    }
}

/// Each condition key of `s` rewritten by `f`.
fn rekey(s: &Value, f: impl Fn(&str) -> String) -> Value {
    let mut s = s.clone();
    if let Some(Value::Object(ops)) = s.get_mut("Condition") {
        for keys in ops.values_mut() {
            if let Value::Object(k) = keys {
                *k = std::mem::take(k)
                    .into_iter()
                    .map(|(k, v)| (f(&k), v))
                    .collect();
            }
        }
    }
    s
}

/// The same statement written another way: lists reversed, one-item lists as strings, other
/// letter case in actions and effect.
fn respell(s: &Value) -> Value {
    let mut s = s.clone();
    let obj = s.as_object_mut().unwrap();
    for key in ["Action", "Resource"] {
        let mut items = obj[key].as_array().unwrap().clone();
        items.reverse();
        if key == "Action" {
            items = items
                .iter()
                .map(|a| Value::from(a.as_str().unwrap().to_ascii_uppercase()))
                .collect();
        }
        obj[key] = if items.len() == 1 {
            items[0].clone()
        } else {
            Value::Array(items)
        };
    }
    obj["Effect"] = Value::from(obj["Effect"].as_str().unwrap().to_ascii_lowercase());
    s
}

proptest! {
    #[test]
    fn respelling_and_shuffling_never_change_the_canonical_document(
        statements in prop::collection::vec(a_statement(), 1..5),
        rotate in 0usize..5,
    ) {
        let original = doc(Value::Array(statements.clone()));
        let mut other: Vec<Value> = statements.iter().map(respell).collect();
        let n = other.len();
        other.rotate_left(rotate % n);
        let other = if other.len() == 1 { doc(other.remove(0)) } else { doc(Value::Array(other)) };
        prop_assert_eq!(normalize(original), normalize(other));
    }

    #[test]
    fn condition_key_case_is_ignored_but_tag_key_case_is_not(
        statements in prop::collection::vec(a_statement(), 1..5),
        seed in 0usize..2,
    ) {
        let original = doc(Value::Array(statements.clone()));
        let respelt = doc(Value::Array(
            statements.iter().map(|s| rekey(s, |k| respell_key(k, seed))).collect(),
        ));
        prop_assert_eq!(normalize(original.clone()), normalize(respelt));

        // Changing the case of a tag key (after the `/`) changes the document.
        let has_tag_key = |s: &Value| {
            s["Condition"]["StringEquals"]
                .as_object()
                .is_some_and(|k| k.keys().any(|k| k.contains('/')))
        };
        if statements.iter().any(has_tag_key) {
            let other_tag = doc(Value::Array(
                statements
                    .iter()
                    .map(|s| {
                        rekey(s, |k| match k.split_once('/') {
                            Some((n, t)) => format!("{n}/{}", flip_case(t)),
                            None => k.to_string(),
                        })
                    })
                    .collect(),
            ));
            prop_assert_ne!(normalize(original), normalize(other_tag));
        }
    }

    #[test]
    fn normalization_is_idempotent(statements in prop::collection::vec(a_statement(), 1..5)) {
        let once = normalize(doc(Value::Array(statements)));
        prop_assert_eq!(normalize(once.clone()), once);
    }
}

/// Every ASCII letter in the other case.
fn flip_case(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}
