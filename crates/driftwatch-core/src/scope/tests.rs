//! What a partial or incomplete reference compares, and what it leaves alone.

use serde_json::json;

use super::{view, Part, Scope};

fn rules_scope() -> Scope {
    Scope::partial(vec![Part::Members("/IpPermissions".into())])
}

#[test]
fn a_partial_claim_compares_only_the_claimed_rules_and_the_identity() {
    let https =
        json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "10.0.0.0/8"});
    let ssh = json!({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"});
    let exp = json!({"GroupId": "sg-1", "IpPermissions": {"tcp 443 10.0.0.0/8": https}});
    let act = json!({"GroupId": "sg-1", "GroupName": "web", "Description": "by hand",
        "IpPermissions": {"tcp 443 10.0.0.0/8": https, "tcp 22 0.0.0.0/0": ssh},
        "IpPermissionsEgress": {"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}}});
    let (e, a) = view(exp.clone(), &rules_scope(), act.clone(), &Scope::default());
    assert_eq!(e, exp);
    assert_eq!(a, exp, "unclaimed rules and fields are not judged");

    let gone = json!({"GroupId": "sg-1", "IpPermissions": {"tcp 22 0.0.0.0/0": ssh}});
    let (_, a) = view(exp.clone(), &rules_scope(), gone.clone(), &Scope::default());
    assert_eq!(
        a,
        json!({"GroupId": "sg-1", "IpPermissions": {}}),
        "a claimed rule that is gone is a rule missing from the set"
    );

    // The claimed rule, re-described live: compared by its name, so the description differs.
    let mut redescribed = act.clone();
    redescribed["IpPermissions"]["tcp 443 10.0.0.0/8"]["Description"] = json!("by hand");
    let (_, a) = view(exp.clone(), &rules_scope(), redescribed, &Scope::default());
    assert_eq!(
        a["IpPermissions"],
        json!({"tcp 443 10.0.0.0/8": {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
            "CidrIpv4": "10.0.0.0/8", "Description": "by hand"}})
    );
}

#[test]
fn claimed_inline_policies_are_compared_whole_and_others_are_not() {
    let scope = Scope::partial(vec![Part::Members("/RolePolicyList".into())]);
    let exp = json!({"RoleName": "r", "RolePolicyList": {"a": {"Statement": [1]}}});
    let act = json!({"RoleName": "r", "RolePolicyList": {"a": {"Statement": [1, 2]}, "b": {}},
                     "AssumeRolePolicyDocument": {}});
    let (_, a) = view(exp.clone(), &scope, act.clone(), &Scope::default());
    assert_eq!(
        a,
        json!({"RoleName": "r", "RolePolicyList": {"a": {"Statement": [1, 2]}}})
    );
}

#[test]
fn a_whole_claim_the_reference_leaves_empty_still_compares() {
    let scope = Scope::partial(vec![Part::Whole("/Policy".into())]);
    let exp = json!({"QueueName": "q"});
    let act = json!({"QueueName": "q", "Policy": {"Statement": []}, "VisibilityTimeout": 9});
    let (_, a) = view(exp.clone(), &scope, act.clone(), &Scope::default());
    assert_eq!(a, json!({"QueueName": "q", "Policy": {"Statement": []}}));
}

#[test]
fn unknown_paths_are_removed_from_both_sides_with_the_parents_they_empty() {
    let scope = Scope {
        unknown: vec![
            "/SqsManagedSseEnabled".into(),
            "/deploymentConfiguration/alarms".into(),
        ],
        ..Scope::default()
    };
    let exp = json!({"QueueName": "q", "deploymentConfiguration": {"alarms": {"enable": true}}});
    let act = json!({"QueueName": "q", "SqsManagedSseEnabled": false});
    let (e, a) = view(exp.clone(), &scope, act.clone(), &Scope::default());
    assert_eq!(e, json!({"QueueName": "q"}));
    assert_eq!(a, e);
    // The other side's unknown paths count too (`diff golden state`).
    let (e, a) = view(act.clone(), &Scope::default(), exp.clone(), &scope);
    assert_eq!((e, a.clone()), (a.clone(), a));
}

#[test]
fn an_owner_that_could_not_know_a_list_knows_the_members_claimed_into_it() {
    let mut scope = Scope {
        unknown: vec!["/AttachedManagedPolicies".into(), "/Tags".into()],
        ..Scope::default()
    };
    scope.claim(Part::Members("/AttachedManagedPolicies".into()));
    assert_eq!(scope.unknown, ["/Tags"]);
    let exp = json!({"RoleName": "r", "AttachedManagedPolicies": ["arn:a"]});
    let act =
        json!({"RoleName": "r", "AttachedManagedPolicies": ["arn:a", "arn:b"], "Tags": {"x": "1"}});
    let (_, a) = view(exp.clone(), &scope, act.clone(), &Scope::default());
    assert_eq!(a, exp);
}

#[test]
fn scopes_of_several_states_merge() {
    let mut a = Scope::partial(vec![Part::Members("/IpPermissions".into())]);
    a.merge(Scope::partial(vec![Part::Members(
        "/IpPermissionsEgress".into(),
    )]));
    assert!(a.partial);
    assert_eq!(a.parts.len(), 2);
    // A partial claim on an owner another state describes whole: the whole one wins.
    let mut whole = Scope {
        unknown: vec!["/Tags".into()],
        ..Scope::default()
    };
    whole.merge(a.clone());
    assert!(!whole.partial);
    a.merge(whole.clone());
    assert_eq!(a, whole);
}
