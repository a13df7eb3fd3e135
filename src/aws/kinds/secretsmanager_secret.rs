//! Fetcher for Secrets Manager secrets: every entry of `ListSecrets` (100 a page, secrets
//! scheduled for deletion included), which holds the tags, key, rotation, `DeletedDate` and
//! `OwningService` inline, plus one `GetResourcePolicy` per secret. Never a secret's value:
//! `GetSecretValue` and `BatchGetSecretValue` are not called, and not in the kind's actions.

use aws_sdk_secretsmanager::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::aws::{all_items, explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// The most `ListSecrets` returns a page.
const SECRETS_PER_PAGE: i32 = 100;

/// `GetResourcePolicy` calls in flight: AWS allows the resource-policy APIs 50 a second per
/// account (Secrets Manager quotas), shared with whatever else the account runs.
const CONCURRENCY: usize = 8;

crate::aws::sdk_client!(aws_sdk_secretsmanager);

pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { secrets(&client).await }.boxed()
}

/// `(secret name, ListSecrets entry with ResourcePolicy)`, sorted by name. Each document keeps
/// the `ARN` AWS returned: Terraform imports a secret by it (`kinds::Def::import_id`).
async fn secrets(client: &Client) -> Result<Docs, FetchError> {
    let entries = list(client).await?;
    let mut out: Docs = futures::stream::iter(entries)
        .map(|entry| async move { with_policy(client, entry).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|s| async move { Ok(s) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Every `ListSecrets` entry, as the API's JSON (so a field this SDK does not know still
/// reaches the document), following `NextToken` to the end.
async fn list(client: &Client) -> Result<Vec<Value>, FetchError> {
    const OP: &str = "secretsmanager:ListSecrets";
    all_items(OP, "SecretList", |token, raw| async move {
        let page = client
            .list_secrets()
            .max_results(SECRETS_PER_PAGE)
            .include_planned_deletion(true)
            .set_next_token(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.next_token().map(str::to_string))
    })
    .await
}

/// One secret with its resource policy (none: no `ResourcePolicy`); `None` when it was deleted
/// between the listing and this call.
async fn with_policy(
    client: &Client,
    mut entry: Value,
) -> Result<Option<(String, Value)>, FetchError> {
    let (Some(name), Some(arn)) = (
        entry
            .get("Name")
            .and_then(Value::as_str)
            .map(str::to_string),
        entry.get("ARN").and_then(Value::as_str).map(str::to_string),
    ) else {
        return Ok(None);
    };
    match client.get_resource_policy().secret_id(&arn).send().await {
        Ok(p) => {
            if let Some(policy) = p.resource_policy().filter(|p| !p.trim().is_empty()) {
                entry["ResourcePolicy"] = Value::from(policy);
            }
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_invalid_request_exception())
                && is_scheduled_for_deletion(&entry) => {}
        Err(e) => return Err(explain("secretsmanager:GetResourcePolicy", &e)),
    }
    Ok(Some((name, entry)))
}

/// AWS refuses most operations on a secret scheduled for deletion (`InvalidRequestException`,
/// "marked deleted"): its policy cannot be read then, and its `DeletedDate` is the drift to
/// report, so the secret is kept without a policy rather than failing the kind.
fn is_scheduled_for_deletion(entry: &Value) -> bool {
    entry.get("DeletedDate").is_some_and(|d| !d.is_null())
}
