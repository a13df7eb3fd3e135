//! Normalizer for `aws_ecs_service`. Input: a `DescribeServices` item (from the API's own JSON),
//! or our own output. Pure.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, map_fields, pairs_to_map, sort_set};

/// Observed state and AWS-assigned identity: never set by a user.
const READ_ONLY: &[&str] = &[
    "serviceArn",
    "clusterArn",
    "status",
    "runningCount",
    "pendingCount",
    "deployments",
    "events",
    "createdAt",
    "createdBy",
    "taskSets",
    "platformFamily",
    "currentServiceDeployment",
    "currentServiceRevisions",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    // Documented defaults of CreateService.
    drop_default(&mut m, "platformVersion", json!("LATEST"));
    drop_default(&mut m, "schedulingStrategy", json!("REPLICA"));
    drop_default(&mut m, "enableECSManagedTags", json!(false));
    drop_default(&mut m, "enableExecuteCommand", json!(false));
    drop_default(&mut m, "propagateTags", json!("NONE"));
    drop_default(&mut m, "healthCheckGracePeriodSeconds", json!(0));
    drop_default(&mut m, "deploymentController", json!({"type": "ECS"}));
    drop_service_linked_role(&mut m);
    Value::Object(map_fields(m, |field, v| match field {
        "taskDefinition" | "latestActiveTaskDefinition" => task_definition_ref(v),
        "networkConfiguration" => network_configuration(v),
        "deploymentConfiguration" => deployment_configuration(v),
        "capacityProviderStrategy"
        | "loadBalancers"
        | "serviceRegistries"
        | "placementConstraints" => sort_set(clean(v)),
        "tags" => pairs_to_map(v, "key", "value"),
        _ => clean(v),
    }))
}

/// ECS uses its service-linked role for a service that names no role, and `DescribeServices`
/// reports that role's ARN (`…:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`) as
/// `roleArn` whether or not it was asked for: it is the default, not a setting.
fn drop_service_linked_role(m: &mut Map<String, Value>) {
    let linked = m.get("roleArn").and_then(Value::as_str).is_some_and(|arn| {
        arn.ends_with(":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")
    });
    if linked {
        m.remove("roleArn");
    }
}

/// A task definition ARN as `family:revision`: the account and region are the service's own,
/// and the revision is what a reviewer needs to see change.
fn task_definition_ref(v: Value) -> Value {
    match v.as_str() {
        Some(arn) => Value::from(arn.rsplit('/').next().unwrap_or(arn)),
        None => v,
    }
}

/// Subnets and security groups are sets; a public IP is off unless asked for.
fn network_configuration(v: Value) -> Value {
    let Value::Object(m) = v else { return v };
    Value::Object(map_fields(m, |field, v| match field {
        "awsvpcConfiguration" => {
            let Value::Object(mut a) = clean(v) else {
                return Value::Null;
            };
            drop_default(&mut a, "assignPublicIp", json!("DISABLED"));
            Value::Object(
                a.into_iter()
                    .map(|(k, v)| (k, sort_set(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        _ => clean(v),
    }))
}

/// Rolling deployments' defaults: 200 % maximum, 100 % minimum healthy, circuit breaker off.
fn deployment_configuration(v: Value) -> Value {
    let Value::Object(mut m) = clean(v) else {
        return Value::Null;
    };
    drop_default(&mut m, "maximumPercent", json!(200));
    drop_default(&mut m, "minimumHealthyPercent", json!(100));
    drop_default(
        &mut m,
        "deploymentCircuitBreaker",
        json!({"enable": false, "rollback": false}),
    );
    drop_default(&mut m, "strategy", json!("ROLLING"));
    drop_default(&mut m, "bakeTimeInMinutes", json!(0));
    if let Some(alarms) = m.get("alarms") {
        if alarms.get("enable") == Some(&json!(false))
            && alarms.get("alarmNames").is_none_or(|a| a == &json!([]))
        {
            m.remove("alarms");
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A DescribeServices item as AWS returns it for a Fargate service.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/prod/backend",
            "serviceName": "backend",
            "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
            "loadBalancers": [], "serviceRegistries": [], "status": "ACTIVE",
            "desiredCount": 2, "runningCount": 2, "pendingCount": 0,
            "launchType": "FARGATE", "platformVersion": "LATEST", "platformFamily": "Linux",
            "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/backend:7",
            "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": false, "rollback": false},
                                        "maximumPercent": 200, "minimumHealthyPercent": 100},
            "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY"}], "events": [],
            "createdAt": 1700000000.0, "placementConstraints": [], "placementStrategy": [],
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-b", "subnet-a"],
                "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
            "schedulingStrategy": "REPLICA", "deploymentController": {"type": "ECS"},
            "enableECSManagedTags": false, "propagateTags": "NONE", "enableExecuteCommand": false,
            "tags": [{"key": "app", "value": "x"}]
        })
    }

    #[test]
    fn canonical_service() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "serviceName": "backend", "desiredCount": 2, "launchType": "FARGATE",
                "taskDefinition": "backend:7",
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"],
                    "securityGroups": ["sg-1"]}},
                "tags": {"app": "x"}
            })
        );
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
    }
}
