//! ARNs and queue URLs: which account, region and name a reference points at (the
//! cross-resource checks), and where a resource of a Terraform state is, from its own ARN.

pub mod elb;

use serde_json::Value;

use crate::model::Place;

/// An ARN's parts. `resource` is everything after the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        let mut parts = s.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }
}

/// Where a Terraform resource is, from its own attributes: its `arn` (or an `id` that is an
/// ARN: an ECS service's), else a queue's `url`. IAM ARNs have no region. None when they say
/// nothing (a resource of another provider's shape, a partial owner).
pub fn place_of_attributes(attributes: &Value) -> Option<Place> {
    let text = |k: &str| attributes.get(k).and_then(Value::as_str);
    let from_arn = |s: &str| {
        let a = Arn::parse(s)?;
        let some = |x: &str| (!x.is_empty()).then(|| x.to_string());
        Some(Place {
            partition: some(a.partition),
            account: some(a.account),
            region: some(a.region),
        })
    };
    if let Some(place) = ["arn", "id"]
        .iter()
        .find_map(|k| text(k).and_then(from_arn))
    {
        return Some(place);
    }
    let q = ["url", "id"]
        .iter()
        .find_map(|k| text(k).and_then(queue_url))?;
    Some(Place {
        partition: Some(q.partition),
        account: Some(q.account),
        region: q.region,
    })
}

/// A role named by ARN: its account and name (the id of `aws_iam_role`; the path is not part of
/// it).
pub fn role(s: &str) -> Option<(&str, &str)> {
    let arn = Arn::parse(s)?;
    let rest = arn.resource.strip_prefix("role/")?;
    (arn.service == "iam").then(|| (arn.account, rest.rsplit('/').next().unwrap_or(rest)))
}

/// A queue named by URL or ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRef {
    pub partition: String,
    pub region: Option<String>,
    pub account: String,
    pub name: String,
}

impl QueueRef {
    /// The queue's ARN, for policy evaluation; the region is the holder's when the URL does
    /// not say it.
    pub fn arn(&self, at: &Place) -> String {
        let region = self
            .region
            .as_deref()
            .or(at.region.as_deref())
            .unwrap_or("*");
        format!(
            "arn:{}:sqs:{region}:{}:{}",
            self.partition, self.account, self.name
        )
    }
}

/// `arn:aws:sqs:REGION:ACCOUNT:NAME`, or a queue URL.
pub fn queue(s: &str) -> Option<QueueRef> {
    if let Some(arn) = Arn::parse(s) {
        return (arn.service == "sqs" && !arn.resource.contains([':', '/'])).then(|| QueueRef {
            partition: arn.partition.to_string(),
            region: Some(arn.region.to_string()),
            account: arn.account.to_string(),
            name: arn.resource.to_string(),
        });
    }
    queue_url(s)
}

/// A queue URL: `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`, its legacy forms
/// (`https://REGION.queue.amazonaws.com/…`, `https://queue.amazonaws.com/…` for us-east-1), the
/// China partition's `.amazonaws.com.cn`, and the `http://localhost:PORT/ACCOUNT/NAME` form local
/// emulators (moto, LocalStack) answer with. The path is always `/ACCOUNT/NAME` with a 12-digit
/// account.
pub fn queue_url(s: &str) -> Option<QueueRef> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let (account, name) = path.split_once('/')?;
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) || !valid_name {
        return None;
    }
    let host = host.split(':').next().unwrap_or(host);
    let partition = if host.ends_with(".amazonaws.com.cn") {
        "aws-cn"
    } else {
        "aws"
    };
    let labels: Vec<&str> = host.split('.').collect();
    let region = match labels.as_slice() {
        ["sqs", region, ..] => Some(region.to_string()),
        ["queue", "amazonaws", ..] => Some("us-east-1".to_string()),
        [region, "queue", ..] => Some(region.to_string()),
        ["localhost"] | ["127", "0", "0", "1"] => None,
        _ if host.contains("localstack") => None,
        _ => return None,
    };
    Some(QueueRef {
        partition: partition.to_string(),
        region,
        account: account.to_string(),
        name: name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls_in_every_form_aws_answers_with() {
        let q = queue("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo").unwrap();
        assert_eq!(
            (q.region.as_deref(), q.account.as_str(), q.name.as_str()),
            (Some("eu-west-1"), "123456789012", "jobs.fifo")
        );
        let legacy = queue("https://eu-west-1.queue.amazonaws.com/123456789012/jobs").unwrap();
        assert_eq!(legacy.region.as_deref(), Some("eu-west-1"));
        let old = queue("https://queue.amazonaws.com/123456789012/jobs").unwrap();
        assert_eq!(old.region.as_deref(), Some("us-east-1"));
        let cn = queue("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/jobs").unwrap();
        assert_eq!(cn.partition, "aws-cn");
        let local = queue("http://localhost:5000/123456789012/jobs").unwrap();
        assert_eq!(local.region, None);
        let arn = queue("arn:aws:sqs:us-east-1:123456789012:jobs").unwrap();
        assert_eq!(
            arn.arn(&Place::default()),
            "arn:aws:sqs:us-east-1:123456789012:jobs"
        );
    }

    #[test]
    fn other_urls_and_arns_are_not_queues() {
        assert_eq!(queue("https://example.com/123456789012/jobs"), None);
        assert_eq!(
            queue("https://sqs.us-east-1.amazonaws.com/12345/jobs"),
            None
        );
        assert_eq!(queue("arn:aws:sns:us-east-1:123456789012:topic"), None);
        assert_eq!(queue("true"), None);
    }

    #[test]
    fn roles_by_arn_drop_their_path() {
        assert_eq!(
            role("arn:aws:iam::123456789012:role/ci/deploy"),
            Some(("123456789012", "deploy"))
        );
        assert_eq!(role("arn:aws:iam::123456789012:policy/deploy"), None);
    }
}
