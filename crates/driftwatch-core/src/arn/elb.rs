//! Elastic Load Balancing ARNs as the names that survive a recreate: a load balancer's or
//! target group's name, a listener's `LB-NAME/PORT` (its port known to the caller), a rule's
//! listener. The ARNs of the load balancers' kinds end in ids AWS chose, different for the same
//! resource made again; golden files and reports name them by these names instead. Pure.

use super::Arn;

/// The resource part of an Elastic Load Balancing ARN, after its kind (`loadbalancer/`,
/// `targetgroup/`, `listener/`, `listener-rule/`), split on `/`.
fn parts<'a>(s: &'a str, kind: &str) -> Option<Vec<&'a str>> {
    let arn = Arn::parse(s)?;
    if arn.service != "elasticloadbalancing" {
        return None;
    }
    let rest = arn.resource.strip_prefix(kind)?.strip_prefix('/')?;
    Some(rest.split('/').collect())
}

/// `…:loadbalancer/app/NAME/ID` (`net/`, `gwy/` alike) → `NAME`.
pub fn load_balancer_name(s: &str) -> Option<&str> {
    match parts(s, "loadbalancer")?.as_slice() {
        [_type, name, _id] => Some(name),
        _ => None,
    }
}

/// `…:targetgroup/NAME/ID` → `NAME`.
pub fn target_group_name(s: &str) -> Option<&str> {
    match parts(s, "targetgroup")?.as_slice() {
        [name, _id] => Some(name),
        _ => None,
    }
}

/// `…:listener/app/LB-NAME/LB-ID/LISTENER-ID` → `LB-NAME`: a listener's ARN holds its load
/// balancer's name but not its port.
pub fn listener_load_balancer(s: &str) -> Option<&str> {
    match parts(s, "listener")?.as_slice() {
        [_type, lb, _lb_id, _id] => Some(lb),
        _ => None,
    }
}

/// `…:listener-rule/app/LB-NAME/LB-ID/LISTENER-ID/RULE-ID` → the ARN of its listener,
/// `…:listener/app/LB-NAME/LB-ID/LISTENER-ID`.
pub fn rule_listener(s: &str) -> Option<String> {
    match parts(s, "listener-rule")?.as_slice() {
        [kind, lb, lb_id, listener, _id] => {
            let (head, _) = s.split_once(":listener-rule/")?;
            Some(format!("{head}:listener/{kind}/{lb}/{lb_id}/{listener}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LB: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
    const NLB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/73e2d6bc24d8a067";
    const TG: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09";
    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
    const RULE: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

    #[test]
    fn names_come_out_of_each_kind_of_arn() {
        assert_eq!(load_balancer_name(LB), Some("web"));
        assert_eq!(load_balancer_name(NLB), Some("edge"));
        assert_eq!(target_group_name(TG), Some("backend"));
        assert_eq!(listener_load_balancer(LISTENER), Some("web"));
        assert_eq!(rule_listener(RULE).as_deref(), Some(LISTENER));
    }

    #[test]
    fn another_kind_of_arn_or_a_bare_name_is_none() {
        assert_eq!(load_balancer_name(TG), None);
        assert_eq!(target_group_name(LB), None);
        assert_eq!(target_group_name("backend"), None);
        assert_eq!(listener_load_balancer(RULE), None);
        assert_eq!(
            target_group_name("arn:aws:ecs:us-east-1:1:targetgroup/x/y"),
            None
        );
        assert_eq!(rule_listener(LISTENER), None);
    }
}
