//! The ECS client and what both ECS kinds ask about task definition revisions: which revision
//! of a family is the latest ACTIVE one. The task definitions' fetch finds it for every family;
//! services, for the families their tasks run, compare with it (`kinds::ecs_service`).

use aws_sdk_ecs::types::{SortOrder, TaskDefinitionStatus};
use aws_sdk_ecs::Client;
use serde_json::Value;
use std::collections::BTreeMap;

use super::explain;
use crate::error::FetchError;

super::sdk_client!(aws_sdk_ecs);

/// `(family, revision)` of a task definition ARN (`…:task-definition/web:10` → `("web", 10)`).
pub(crate) fn family_and_revision(arn: &str) -> Option<(&str, u64)> {
    let (family, rev) = arn.rsplit_once('/')?.1.rsplit_once(':')?;
    Some((family, rev.parse().ok()?))
}

/// The ARN of the family's newest ACTIVE revision, in one call: AWS returns it first with
/// `sort=DESC, maxResults=1`, without listing the hundreds of revisions a busy family has.
///
/// Two AWS-compatible servers get this wrong in ways we undo here. ListTaskDefinitionFamilies
/// may list a family whose revisions are all INACTIVE (moto ignores `status`): then this finds
/// none and the family is skipped. And a server may ignore `sort` and `maxResults` (moto returns
/// every ACTIVE revision, oldest first): so we take the highest revision of the page rather than
/// the first item.
pub(crate) async fn latest_active_revision(
    client: &Client,
    family: &str,
) -> Result<Option<String>, FetchError> {
    let page = client
        .list_task_definitions()
        .family_prefix(family)
        .status(TaskDefinitionStatus::Active)
        .sort(SortOrder::Desc)
        .max_results(1)
        .send()
        .await
        .map_err(|e| explain("ecs:ListTaskDefinitions", &e))?;
    Ok(highest_revision(family, page.task_definition_arns()))
}

/// The ARN with the highest revision among those of exactly `family` (`familyPrefix` is a
/// prefix on some servers: `web` must not pick `web-api`).
pub(crate) fn highest_revision(family: &str, arns: &[String]) -> Option<String> {
    arns.iter()
        .filter_map(|arn| {
            let (fam, rev) = family_and_revision(arn)?;
            (fam == family).then_some((rev, arn))
        })
        .max_by_key(|(rev, _)| *rev)
        .map(|(_, arn)| arn.clone())
}

/// `family → family:revision` of the latest ACTIVE revisions in `task_definitions` (raw
/// DescribeTaskDefinition documents), so services can be checked against them without asking
/// again.
pub(crate) fn latest_revisions(task_definitions: &[(String, Value)]) -> BTreeMap<String, String> {
    task_definitions
        .iter()
        .filter_map(|(family, doc)| {
            let rev = doc.pointer("/taskDefinition/revision")?.as_u64()?;
            Some((family.clone(), format!("{family}:{rev}")))
        })
        .collect()
}

/// `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME` → `NAME`; `…:task-definition/FAMILY:REV` →
/// `FAMILY:REV`.
pub(crate) fn last_segment(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    use super::highest_revision;

    #[test]
    fn picks_the_highest_revision_of_exactly_the_family() {
        let arns: Vec<String> = [
            "arn:aws:ecs:us-east-1:1:task-definition/web:2",
            "arn:aws:ecs:us-east-1:1:task-definition/web:10",
            "arn:aws:ecs:us-east-1:1:task-definition/web-api:99",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            highest_revision("web", &arns).as_deref(),
            Some("arn:aws:ecs:us-east-1:1:task-definition/web:10")
        );
        assert_eq!(highest_revision("api", &arns), None);
    }
}
