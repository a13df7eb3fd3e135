//! What a task definition's image, secret and log references name: an image in an ECR
//! registry, a Secrets Manager secret (full or partial ARN, with or without the JSON-key
//! suffix), an SSM parameter (name or ARN), a log group. Pure parsing: whether the thing exists
//! is the checks' business.

use crate::arn::Arn;

/// An image in an ECR private registry:
/// `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPO[:TAG|@sha256:…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcrImage {
    pub account: String,
    pub region: String,
    pub repository: String,
    /// A tag or a digest (`sha256:…`); an image named with neither is `latest`, as Docker pulls.
    pub id: ImageId,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageId {
    Tag(String),
    Digest(String),
}

impl ImageId {
    /// The tag or digest, as `BatchGetImage` takes it.
    pub fn as_str(&self) -> &str {
        match self {
            ImageId::Tag(t) | ImageId::Digest(t) => t,
        }
    }

    /// "tag 3f2c1a9", "digest sha256:…", for messages.
    pub fn what(&self) -> String {
        match self {
            ImageId::Tag(t) => format!("tag {t}"),
            ImageId::Digest(d) => format!("digest {d}"),
        }
    }
}

/// The ECR image an `image` field names; `None` for any other registry (Docker Hub, ECR Public,
/// GHCR) or a value that is not an image reference.
pub fn ecr_image(image: &str) -> Option<EcrImage> {
    let (host, path) = image.split_once('/')?;
    let mut labels = host.split('.');
    let account = labels.next()?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if labels.next()? != "dkr" || !matches!(labels.next()?, "ecr" | "ecr-fips") {
        return None;
    }
    let region = labels.next()?;
    let domain: Vec<&str> = labels.collect();
    if !matches!(
        domain.as_slice(),
        ["amazonaws", "com"] | ["amazonaws", "com", "cn"]
    ) {
        return None;
    }
    let (repository, id) = match path.split_once('@') {
        Some((repo, digest)) => (repo, ImageId::Digest(digest.to_string())),
        None => {
            // A tag follows the last `:` of the last path segment (repositories hold `/`).
            let last = path.rfind('/').map_or(0, |i| i + 1);
            match path[last..].rfind(':') {
                Some(i) => (
                    &path[..last + i],
                    ImageId::Tag(path[last + i + 1..].to_string()),
                ),
                None => (path, ImageId::Tag("latest".to_string())),
            }
        }
    };
    if repository.is_empty() || id.as_str().is_empty() || region.is_empty() {
        return None;
    }
    Some(EcrImage {
        account: account.to_string(),
        region: region.to_string(),
        repository: repository.to_string(),
        id,
    })
}

/// What a `valueFrom` (or `credentialsParameter`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    Secret(SecretArn),
    Parameter(ParameterRef),
}

/// A Secrets Manager secret by ARN: `arn:P:secretsmanager:R:A:secret:NAME[-XXXXXX][:json-key:stage:version]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretArn {
    pub partition: String,
    pub account: String,
    pub region: String,
    /// The name as the ARN spells it: with the six-character suffix Secrets Manager appends to
    /// a full ARN, without it in a partial one. [`SecretArn::names`] says which to look up.
    pub name: String,
    /// The ARN without the JSON-key suffix: what a policy's `Resource` names.
    pub arn: String,
}

impl SecretArn {
    /// The secret names the ARN may stand for: the name as written (a partial ARN), then
    /// without a trailing `-XXXXXX` (a full ARN's random suffix). A name cannot tell which it
    /// is: `db-url-abcdef` may be either.
    pub fn names(&self) -> Vec<&str> {
        let mut out = vec![self.name.as_str()];
        if let Some(stem) = self.name.get(..self.name.len().saturating_sub(7)) {
            let suffix = &self.name[stem.len()..];
            let random = suffix.len() == 7
                && suffix.starts_with('-')
                && suffix[1..].bytes().all(|b| b.is_ascii_alphanumeric());
            if random && !stem.is_empty() {
                out.push(stem);
            }
        }
        out
    }

    /// Whether the ARN carries the random suffix of the secret named `name` (a full ARN).
    pub fn is_full_for(&self, name: &str) -> bool {
        self.name.len() == name.len() + 7
    }
}

/// An SSM parameter by name (this account and region) or by ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterRef {
    pub partition: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The name as Parameter Store spells it: `/app/db` for a hierarchy, `db` for a flat one.
    pub name: String,
}

impl ParameterRef {
    /// The parameter's ARN at `(partition, region, account)`: a hierarchical name's leading `/`
    /// is not repeated after `parameter` (`arn:…:parameter/app/db`).
    pub fn arn(&self, partition: &str, region: &str, account: &str) -> String {
        format!(
            "arn:{partition}:ssm:{region}:{account}:parameter/{}",
            self.name.trim_start_matches('/')
        )
    }
}

/// What a secret reference names; `None` for a value of any other shape.
pub fn secret_ref(value: &str) -> Option<SecretRef> {
    let Some(arn) = Arn::parse(value) else {
        return parameter_name(value).map(SecretRef::Parameter);
    };
    match arn.service {
        "secretsmanager" => {
            let rest = arn.resource.strip_prefix("secret:")?;
            let name = rest.split(':').next().filter(|n| !n.is_empty())?;
            Some(SecretRef::Secret(SecretArn {
                partition: arn.partition.to_string(),
                account: arn.account.to_string(),
                region: arn.region.to_string(),
                name: name.to_string(),
                arn: format!(
                    "arn:{}:secretsmanager:{}:{}:secret:{name}",
                    arn.partition, arn.region, arn.account
                ),
            }))
        }
        "ssm" => {
            let rest = arn.resource.strip_prefix("parameter")?;
            // `parameter/app/db` names `/app/db`; `parameter/db` names `db`.
            let name = match rest.strip_prefix('/')? {
                flat if !flat.contains('/') => flat.to_string(),
                _ => rest.to_string(),
            };
            (!name.is_empty() && name != "/").then(|| {
                SecretRef::Parameter(ParameterRef {
                    partition: Some(arn.partition.to_string()),
                    account: Some(arn.account.to_string()),
                    region: Some(arn.region.to_string()),
                    name,
                })
            })
        }
        _ => None,
    }
}

/// A bare parameter name, as ECS takes one of its own region: letters, digits and `_.-/`
/// (Parameter Store's alphabet), nothing a URL, a path on disk or a sentence would hold alone.
fn parameter_name(value: &str) -> Option<ParameterRef> {
    let ok = !value.is_empty()
        && value.len() <= 2048
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b))
        && !value.ends_with('/')
        && !value.contains("//");
    ok.then(|| ParameterRef {
        partition: None,
        account: None,
        region: None,
        name: value.to_string(),
    })
}

/// A log group by ARN (`arn:P:logs:R:A:log-group:NAME[:*]`): its account, region and name.
pub fn log_group_arn(value: &str) -> Option<(&str, &str, &str)> {
    let arn = Arn::parse(value)?;
    if arn.service != "logs" {
        return None;
    }
    let rest = arn.resource.strip_prefix("log-group:")?;
    let name = rest.strip_suffix(":*").unwrap_or(rest);
    (!name.is_empty() && !name.contains(':')).then_some((arn.account, arn.region, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_images_by_tag_digest_or_nothing_and_other_registries_are_not_ecr() {
        let i = ecr_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:3f2c1a9").unwrap();
        assert_eq!(
            (i.account.as_str(), i.region.as_str(), i.repository.as_str()),
            ("123456789012", "us-east-1", "team/api")
        );
        assert_eq!(i.id, ImageId::Tag("3f2c1a9".into()));
        let d = ecr_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc").unwrap();
        assert_eq!(d.id, ImageId::Digest("sha256:abc".into()));
        let latest = ecr_image("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api").unwrap();
        assert_eq!(latest.id, ImageId::Tag("latest".into()));
        for other in [
            "nginx:1.27",
            "public.ecr.aws/nginx/nginx:latest",
            "ghcr.io/org/app:1",
            "123456789012.dkr.ecr.us-east-1.example.com/api:1",
            "12345.dkr.ecr.us-east-1.amazonaws.com/api:1",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/:1",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:",
        ] {
            assert_eq!(ecr_image(other), None, "{other}");
        }
    }

    #[test]
    fn secrets_by_full_or_partial_arn_with_or_without_the_json_key_suffix() {
        let full = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-url-Q1w2E3";
        let Some(SecretRef::Secret(s)) = secret_ref(full) else {
            panic!("not a secret")
        };
        assert_eq!(s.names(), vec!["prod/db-url-Q1w2E3", "prod/db-url"]);
        assert_eq!(s.arn, full);
        assert!(s.is_full_for("prod/db-url"));
        let keyed = format!("{full}:password:AWSCURRENT:");
        let Some(SecretRef::Secret(k)) = secret_ref(&keyed) else {
            panic!("not a secret")
        };
        assert_eq!(
            (k.arn.as_str(), k.name.as_str()),
            (full, "prod/db-url-Q1w2E3")
        );
        let partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db:password::";
        let Some(SecretRef::Secret(p)) = secret_ref(partial) else {
            panic!("not a secret")
        };
        assert_eq!(p.names(), vec!["db"]);
        assert!(!p.is_full_for("db"));
    }

    #[test]
    fn parameters_by_name_or_arn_keep_the_leading_slash_of_a_hierarchy() {
        let p = |s: &str| match secret_ref(s) {
            Some(SecretRef::Parameter(p)) => p,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(
            p("arn:aws:ssm:us-east-1:123456789012:parameter/app/db").name,
            "/app/db"
        );
        assert_eq!(
            p("arn:aws:ssm:us-east-1:123456789012:parameter/db").name,
            "db"
        );
        assert_eq!(p("/app/db").name, "/app/db");
        assert_eq!(p("db_password").name, "db_password");
        assert_eq!(
            p("/app/db").arn("aws", "us-east-1", "123456789012"),
            "arn:aws:ssm:us-east-1:123456789012:parameter/app/db"
        );
        for other in [
            "a value with spaces",
            "https://example.com/x",
            "",
            "/app/",
            "arn:aws:sqs:us-east-1:1:q",
        ] {
            assert_eq!(secret_ref(other), None, "{other}");
        }
    }

    #[test]
    fn log_groups_by_arn_with_or_without_the_stream_wildcard() {
        assert_eq!(
            log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:*"),
            Some(("123456789012", "us-east-1", "/ecs/api"))
        );
        assert_eq!(
            log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api"),
            Some(("123456789012", "us-east-1", "/ecs/api"))
        );
        assert_eq!(
            log_group_arn("arn:aws:logs:us-east-1:1:destination:x"),
            None
        );
    }
}
