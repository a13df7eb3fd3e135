//! Which of the tags and digests the task definitions run each ECR repository holds, for the
//! `image-reference` check: `BatchGetImage` with up to 100 image ids a call (its documented
//! maximum). An image that cannot be asked about is said so, never taken as missing.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ecr::types::{ImageFailureCode, ImageIdentifier};
use aws_sdk_ecr::Client;
use futures::StreamExt;

use crate::aws::{explain, load_config, ApiCalls, AwsOptions};
use crate::checks::names::ImageId;
use crate::checks::Images;

crate::aws::sdk_client!(aws_sdk_ecr);

/// `BatchGetImage`'s limit on image ids a call.
const IDS_PER_CALL: usize = 100;
/// Repositories asked at once: ECR's per-action rate is tens a second.
const IN_FLIGHT: usize = 8;

/// What each repository of `wanted` holds of the ids asked for.
pub async fn held(
    opts: &AwsOptions,
    calls: &ApiCalls,
    wanted: &BTreeMap<String, BTreeSet<ImageId>>,
) -> Images {
    let mut out = Images::default();
    if wanted.is_empty() {
        return out;
    }
    let config = match load_config(opts).await {
        Ok(c) => c,
        Err(e) => {
            for repo in wanted.keys() {
                out.unread.insert(repo.clone(), e.clone());
            }
            return out;
        }
    };
    let client = client(&config, calls);
    let asks = wanted.iter().flat_map(|(repo, ids)| {
        let ids: Vec<&ImageId> = ids.iter().collect();
        let chunks: Vec<Vec<&ImageId>> = ids.chunks(IDS_PER_CALL).map(<[_]>::to_vec).collect();
        chunks.into_iter().map(move |chunk| (repo, chunk))
    });
    let answers: Vec<_> = futures::stream::iter(asks)
        .map(|(repo, chunk)| {
            let client = &client;
            async move { (repo, ask(client, repo, &chunk).await) }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    for (repo, answer) in answers {
        match answer {
            Ok(held) => out
                .held
                .extend(held.into_iter().map(|(id, h)| ((repo.clone(), id), h))),
            Err(why) => {
                out.unread.insert(repo.clone(), why);
            }
        }
    }
    out
}

/// One call: each id asked and whether the repository holds it. A failure other than "image
/// not found" (a KMS error, a pull-through cache upstream failing), or an id the answer does
/// not mention, makes the whole answer unknown rather than guessed.
async fn ask(client: &Client, repo: &str, ids: &[&ImageId]) -> Result<Vec<(String, bool)>, String> {
    let identifiers = ids.iter().map(|id| match id {
        ImageId::Tag(t) => ImageIdentifier::builder().image_tag(t).build(),
        ImageId::Digest(d) => ImageIdentifier::builder().image_digest(d).build(),
    });
    let answer = client
        .batch_get_image()
        .repository_name(repo)
        .set_image_ids(Some(identifiers.collect()))
        .send()
        .await
        .map_err(|e| explain("ecr:BatchGetImage", &e).to_string())?;
    let mut found: BTreeSet<&str> = BTreeSet::new();
    for image in answer.images() {
        if let Some(i) = image.image_id() {
            found.extend(i.image_tag());
            found.extend(i.image_digest());
        }
    }
    let mut not_found: BTreeSet<&str> = BTreeSet::new();
    for f in answer.failures() {
        if f.failure_code() != Some(&ImageFailureCode::ImageNotFound) {
            let code = f.failure_code().map(|c| c.as_str()).unwrap_or("unknown");
            let reason = f.failure_reason().unwrap_or_default();
            return Err(format!("ecr:BatchGetImage failed ({code}): {reason}"));
        }
        if let Some(i) = f.image_id() {
            not_found.extend(i.image_tag());
            not_found.extend(i.image_digest());
        }
    }
    // An id the answer names neither as an image nor as not found is not known missing.
    ids.iter()
        .map(|id| match id.as_str() {
            s if found.contains(s) => Ok((s.to_string(), true)),
            s if not_found.contains(s) => Ok((s.to_string(), false)),
            s => Err(format!("ecr:BatchGetImage said nothing of {s}")),
        })
        .collect()
}
