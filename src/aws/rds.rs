//! What the four RDS kinds share: the page size of RDS's describes, tags as the API lists
//! them, and `ListTagsForResource` for the groups (instances and clusters have their tags
//! inline). Each kind makes its own client (`sdk_client!` in its module).

use aws_sdk_rds::types::Tag;
use serde_json::{json, Value};

/// The most RDS's describes return a page (`MaxRecords` 20 to 100).
pub(crate) const RECORDS_PER_PAGE: i32 = 100;

/// `[{Key, Value}]`, as `TagList` is in the API's documents.
pub(crate) fn tag_list(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"Key": t.key(), "Value": t.value()}))
            .collect(),
    )
}
