//! The table of `aws_dynamodb_table` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::AWS_ASSIGNED;

const REPLICA: &str = "a replica is a table of another region, read in that region's target";
const RESTORE: &str = "how the table was created (from a backup or a point in time); AWS does \
                       not keep it as a setting";
const IMPORT: &str = "how the table was first filled (from S3); AWS does not keep it as a setting";
const THROUGHPUT_LIMITS: &str = "on-demand throughput limits and warm throughput: AWS reports its \
                                 own figures for tables that never set them (12000/4000 warm), \
                                 not compared yet";
pub(super) const TABLE: TerraformType = TerraformType {
    name: "aws_dynamodb_table",
    mapped: &[
        ("name", &[]),
        ("billing_mode", &["/BillingMode"]),
        ("read_capacity", &["/ProvisionedThroughput"]),
        ("write_capacity", &["/ProvisionedThroughput"]),
        ("hash_key", &["/KeySchema"]),
        ("range_key", &["/KeySchema"]),
        ("attribute", &["/AttributeDefinitions"]),
        ("global_secondary_index", &["/GlobalSecondaryIndexes"]),
        ("local_secondary_index", &["/LocalSecondaryIndexes"]),
        ("stream_enabled", &["/StreamSpecification"]),
        ("stream_view_type", &["/StreamSpecification"]),
        ("server_side_encryption", &["/SSESpecification"]),
        ("point_in_time_recovery", &["/PointInTimeRecoveryEnabled"]),
        ("ttl", &["/TimeToLive"]),
        (
            "deletion_protection_enabled",
            &["/DeletionProtectionEnabled"],
        ),
        ("table_class", &["/TableClass"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("stream_arn", AWS_ASSIGNED),
        ("stream_label", AWS_ASSIGNED),
        ("replica", REPLICA),
        ("restore_date_time", RESTORE),
        ("restore_source_name", RESTORE),
        ("restore_source_table_arn", RESTORE),
        ("restore_to_latest_time", RESTORE),
        ("import_table", IMPORT),
        ("on_demand_throughput", THROUGHPUT_LIMITS),
        ("warm_throughput", THROUGHPUT_LIMITS),
    ],
    numbers: &[
        "read_capacity",
        "write_capacity",
        "global_secondary_index.read_capacity",
        "global_secondary_index.write_capacity",
        "on_demand_throughput.max_read_request_units",
        "on_demand_throughput.max_write_request_units",
        "warm_throughput.read_units_per_second",
        "warm_throughput.write_units_per_second",
        "point_in_time_recovery.recovery_period_in_days",
    ],
    bools: &[
        "deletion_protection_enabled",
        "stream_enabled",
        "restore_to_latest_time",
        "point_in_time_recovery.enabled",
        "server_side_encryption.enabled",
        "ttl.enabled",
    ],
};
