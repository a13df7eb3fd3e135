//! Fetcher for DynamoDB tables: `ListTables` pages, then per table `DescribeTable` and, beside
//! it, `DescribeContinuousBackups` and `DescribeTimeToLive`, each as the API's raw JSON (a field
//! this SDK does not know still reaches the document). Tags from the Tagging API's pages when
//! the run may use them (`aws::tagging`), else `ListTagsOfResource` per table.

use aws_sdk_dynamodb::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{Map, Value};

use crate::aws::tagging::{Query, Tags};
use crate::aws::{all_items, explain, Context, RawBody};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Tables read at once (three calls each, then tags). DynamoDB publishes no rate for its
/// control-plane describes; eight tables, 24 requests in flight, hide the latency without
/// leaning on the standard retries.
const CONCURRENCY: usize = 8;

/// ListTables' largest page.
const TABLES_PER_PAGE: i32 = 100;

crate::aws::sdk_client!(aws_sdk_dynamodb);

/// Every table, with a client of its own: no other kind calls DynamoDB.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { tables(&client, ctx).await }.boxed()
}

/// `(table name, document)`, sorted by name.
async fn tables(client: &Client, ctx: &Context) -> Result<Docs, FetchError> {
    let (names, pages) = tokio::join!(list_tables(client), ctx.tags(Query::Type("dynamodb:table")));
    let (names, pages) = (names?, pages?);
    if pages.is_some() {
        ctx.calls()
            .saved("dynamodb", "the Tagging API", names.len());
    }
    let pages = pages.as_ref();
    let mut out: Docs = futures::stream::iter(names)
        .map(|name| async move { table(client, name, pages).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|t| async move { Ok(t) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Every table name; `LastEvaluatedTableName` is the next page's start.
async fn list_tables(client: &Client) -> Result<Vec<String>, FetchError> {
    const OP: &str = "dynamodb:ListTables";
    let names = all_items(OP, "TableNames", |token, raw| async move {
        let page = client
            .list_tables()
            .limit(TABLES_PER_PAGE)
            .set_exclusive_start_table_name(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.last_evaluated_table_name().map(str::to_string))
    })
    .await?;
    Ok(names
        .into_iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect())
}

/// One table: `DescribeTable`'s `Table` with `ContinuousBackupsDescription`,
/// `TimeToLiveDescription` and `Tags` beside its fields. `None` when it was deleted between the
/// listing and its description.
async fn table(
    client: &Client,
    name: String,
    pages: Option<&Tags>,
) -> Result<Option<(String, Value)>, FetchError> {
    let Some(mut doc) = describe_table(client, &name).await? else {
        return Ok(None);
    };
    let arn = doc
        .get("TableArn")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (backups, ttl, tags) = tokio::join!(
        continuous_backups(client, &name),
        time_to_live(client, &name),
        tags(client, arn.as_deref(), pages)
    );
    doc.insert("ContinuousBackupsDescription".into(), backups?);
    doc.insert("TimeToLiveDescription".into(), ttl?);
    doc.insert("Tags".into(), Value::Object(tags?));
    Ok(Some((name, Value::Object(doc))))
}

async fn describe_table(
    client: &Client,
    name: &str,
) -> Result<Option<Map<String, Value>>, FetchError> {
    const OP: &str = "dynamodb:DescribeTable";
    let raw = RawBody::default();
    match client
        .describe_table()
        .table_name(name)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
    {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(explain(OP, &e)),
    }
    match raw.field(OP, "Table")? {
        Value::Object(t) => Ok(Some(t)),
        _ => Err(FetchError::of(OP, "the answer's Table is not an object")),
    }
}

async fn continuous_backups(client: &Client, name: &str) -> Result<Value, FetchError> {
    const OP: &str = "dynamodb:DescribeContinuousBackups";
    let raw = RawBody::default();
    client
        .describe_continuous_backups()
        .table_name(name)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    // An answer without its description is not "off": the setting is unknown, an error.
    raw.field(OP, "ContinuousBackupsDescription")
}

async fn time_to_live(client: &Client, name: &str) -> Result<Value, FetchError> {
    const OP: &str = "dynamodb:DescribeTimeToLive";
    let raw = RawBody::default();
    client
        .describe_time_to_live()
        .table_name(name)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    // An answer without its description is not "off": the setting is unknown, an error.
    raw.field(OP, "TimeToLiveDescription")
}

/// The tags `pages` give the table's ARN (none when not listed), else `ListTagsOfResource`'s
/// pages.
async fn tags(
    client: &Client,
    arn: Option<&str>,
    pages: Option<&Tags>,
) -> Result<Map<String, Value>, FetchError> {
    const OP: &str = "dynamodb:ListTagsOfResource";
    let Some(arn) = arn else {
        return Ok(Map::new());
    };
    if let Some(pages) = pages {
        return Ok(pages
            .get(arn)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect());
    }
    let items = all_items(OP, "Tags", |token, raw| async move {
        let page = client
            .list_tags_of_resource()
            .resource_arn(arn)
            .set_next_token(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.next_token().map(str::to_string))
    })
    .await?;
    Ok(items
        .into_iter()
        .filter_map(|t| {
            let k = t.get("Key")?.as_str()?.to_string();
            Some((k, t.get("Value").cloned().unwrap_or(Value::Null)))
        })
        .collect())
}
