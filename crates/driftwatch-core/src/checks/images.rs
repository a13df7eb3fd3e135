//! `image-reference`: the images a task definition's containers run, when they are in this
//! account's ECR: the repository exists, holds the tag or digest (read live with
//! `BatchGetImage`, so never judged offline), and the execution role may pull from it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::grants::{arn_at, exec_role, judge, tasks, unread_revisions, Need, Target};
use super::names::{ecr_image, EcrImage, ImageId};
use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::model::{Inventory, Kind, Place};

/// What the account's repositories hold of the images asked for (live only).
#[derive(Debug, Clone, Default)]
pub struct Images {
    /// `(repository, tag or digest)` asked for, and whether the repository holds it.
    pub held: BTreeMap<(String, String), bool>,
    /// Repositories whose images could not be read, and why.
    pub unread: BTreeMap<String, String>,
}

/// The tags and digests to ask each repository of the inventory's place for: those the task
/// definitions' containers run from an ECR registry of that account and region, and those of
/// the older revisions services still run (`service_revisions`).
pub fn images_wanted(
    inv: &Inventory,
    service_revisions: &BTreeMap<String, Value>,
    at: &Place,
) -> BTreeMap<String, BTreeSet<ImageId>> {
    let mut out: BTreeMap<String, BTreeSet<ImageId>> = BTreeMap::new();
    let here = |i: &EcrImage| {
        at.account.as_deref().is_none_or(|a| a == i.account)
            && at.region.as_deref().is_none_or(|r| r == i.region)
    };
    let latest = inv
        .of_kind(Kind::EcsTaskDefinition)
        .map(|(_, r)| &r.document);
    for doc in latest.chain(service_revisions.values()) {
        for (_, image) in container_images(doc) {
            if let Some(i) = ecr_image(image).filter(here) {
                out.entry(i.repository).or_default().insert(i.id);
            }
        }
    }
    out
}

/// The services (`cluster/service`) running a revision that is not their family's latest
/// ACTIVE one, with that revision (`family:revision`): what a live check describes so the
/// images those tasks pull are judged too (a rollback target, a deploy that never finished).
pub fn stale_service_revisions(inv: &Inventory) -> Vec<(String, String)> {
    inv.of_kind(Kind::EcsService)
        .filter_map(|(id, r)| {
            let runs = r.document.get("taskDefinition")?.as_str()?;
            let latest = r.document.get("latestActiveTaskDefinition")?.as_str()?;
            (runs != latest).then(|| (id.to_string(), runs.to_string()))
        })
        .collect()
}

/// `(container, image)` of a task definition (containers keyed by name in the canonical form).
fn container_images(doc: &Value) -> Vec<(&str, &str)> {
    let Some(Value::Object(containers)) = doc.get("containerDefinitions") else {
        return Vec::new();
    };
    containers
        .iter()
        .filter_map(|(name, c)| Some((name.as_str(), c.get("image")?.as_str()?)))
        .collect()
}

pub fn image_reference(cx: &Cx, out: &mut Out) {
    unread_revisions(cx, out);
    for (task, from) in tasks(cx) {
        images_of(cx, out, (task.kind, task.id, task.doc), &from);
    }
}

/// The images of one task definition (a family's latest revision, or the revision a service
/// runs), the references of the resource `kind` `id`.
fn images_of(cx: &Cx, out: &mut Out, (kind, id, doc): (Kind, &str, &Value), from: &Place) {
    let mut seen = BTreeSet::new();
    for (container, image) in container_images(doc) {
        if !seen.insert(image) {
            continue;
        }
        let Some(i) = ecr_image(image) else {
            let message = format!(
                "image {image} of container {container} is not in an ECR registry: its registry is not read"
            );
            out.not_judged(Reason::OtherRegistry, kind, id, image, message);
            continue;
        };
        let uses = format!("container {container} runs {image}");
        let repo = Ref {
            kind: Kind::EcrRepository,
            id: &i.repository,
            account: Some(&i.account),
            region: Some(&i.region),
        };
        let repository = match cx.find(from, &repo) {
            Found::Here(r) => r,
            Found::Absent => {
                let message = format!(
                    "{uses}, from repository {}, which does not exist",
                    i.repository
                );
                out.finding(Severity::Error, kind, id, image, message);
                continue;
            }
            Found::Unknown(reason, why) => {
                out.not_judged(reason, kind, id, image, format!("{uses}: {why}"));
                continue;
            }
        };
        held(cx, out, (kind, id), image, &uses, &i);
        let target = Target {
            what: format!("repository {}", i.repository),
            resource: Some(repository),
            policy_field: "repositoryPolicy",
            gap: None,
        };
        pull(cx, out, (kind, id, doc), from, image, &uses, &i, &target);
    }
}

/// Whether the repository holds the image's tag or digest: known only from the account.
fn held(
    cx: &Cx,
    out: &mut Out,
    (kind, family): (Kind, &str),
    image: &str,
    uses: &str,
    i: &EcrImage,
) {
    let Some(images) = &cx.extras.images else {
        let why = format!(
            "{uses}: {} does not describe the images in repository {}; only a check of the account reads them",
            cx.inv.source, i.repository
        );
        out.not_judged(Reason::NotDescribed, kind, family, image, why);
        return;
    };
    if let Some(error) = images.unread.get(&i.repository) {
        let why = format!(
            "{uses}: the images of repository {} could not be read: {error}",
            i.repository
        );
        out.not_judged(Reason::NotRead, kind, family, image, why);
        return;
    }
    match images
        .held
        .get(&(i.repository.clone(), i.id.as_str().to_string()))
    {
        Some(true) => out.judged(kind, family),
        Some(false) => {
            let message = format!(
                "{uses}, but repository {} holds no image with {}",
                i.repository,
                i.id.what()
            );
            out.finding(Severity::Error, kind, family, image, message);
        }
        None => {
            let why = format!(
                "{uses}: the images of repository {} were not read",
                i.repository
            );
            out.not_judged(Reason::NotRead, kind, family, image, why);
        }
    }
}

/// Whether the execution role may pull the image: `ecr:BatchGetImage` and
/// `ecr:GetDownloadUrlForLayer` on the repository, `ecr:GetAuthorizationToken` on `*` (it
/// supports no resource-level permission).
#[allow(clippy::too_many_arguments)]
fn pull(
    cx: &Cx,
    out: &mut Out,
    (kind, family, doc): (Kind, &str, &Value),
    from: &Place,
    image: &str,
    uses: &str,
    i: &EcrImage,
    target: &Target,
) {
    let role = match exec_role(cx, from, doc) {
        Ok(Some(role)) => role,
        // No execution role: on EC2 the container instance's role pulls, which is not read.
        Ok(None) => return,
        Err((reason, why)) => {
            out.not_judged(reason, kind, family, image, format!("{uses}: {why}"));
            return;
        }
    };
    let at = Place {
        account: Some(i.account.clone()),
        region: Some(i.region.clone()),
        ..from.clone()
    };
    let repo_arn = arn_at(&at, "ecr", &format!("repository/{}", i.repository));
    let needs = [
        Need::on("ecr:BatchGetImage", repo_arn.clone()),
        Need::on("ecr:GetDownloadUrlForLayer", repo_arn),
        Need::on("ecr:GetAuthorizationToken", "*"),
    ];
    judge(cx, out, (kind, family, image), uses, &role, target, &needs);
}
