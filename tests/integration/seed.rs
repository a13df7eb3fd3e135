//! Seeds moto through the real SDK with task definitions shaped like the demo environment's.

use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, KeyValuePair, LogConfiguration, LogDriver, NetworkMode,
    PortMapping, Secret, Tag,
};
use aws_sdk_ecs::Client;

pub const ACCOUNT: &str = "123456789012";

/// A task definition as a deploy script registers it.
#[derive(Clone)]
pub struct TaskDef {
    pub family: String,
    pub cpu: String,
    pub memory: String,
    pub containers: Vec<Container>,
}

#[derive(Clone)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub port: Option<i32>,
    pub env: Vec<(String, String)>,
    pub secrets: Vec<(String, String)>,
}

impl Container {
    pub fn new(name: &str, image: &str) -> Self {
        Container {
            name: name.into(),
            image: image.into(),
            port: None,
            env: Vec::new(),
            secrets: Vec::new(),
        }
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    pub fn secret(mut self, k: &str, arn: &str) -> Self {
        self.secrets.push((k.into(), arn.into()));
        self
    }

    pub fn port(mut self, p: i32) -> Self {
        self.port = Some(p);
        self
    }

    fn build(&self, family: &str) -> ContainerDefinition {
        let mut b = ContainerDefinition::builder()
            .name(&self.name)
            .image(&self.image)
            .essential(true)
            .log_configuration(
                LogConfiguration::builder()
                    .log_driver(LogDriver::Awslogs)
                    .options("awslogs-group", format!("/ecs/{family}"))
                    .options("awslogs-region", "us-east-1")
                    .options("awslogs-stream-prefix", &self.name)
                    .build()
                    .unwrap(),
            );
        if let Some(p) = self.port {
            b = b.port_mappings(PortMapping::builder().container_port(p).build());
        }
        for (k, v) in &self.env {
            b = b.environment(KeyValuePair::builder().name(k).value(v).build());
        }
        for (k, v) in &self.secrets {
            b = b.secrets(Secret::builder().name(k).value_from(v).build().unwrap());
        }
        b.build()
    }
}

pub const QUEUE_URL: &str =
    "https://sqs.us-east-1.amazonaws.com/123456789012/prod-retainwise-predictions-queue";

pub fn db_secret() -> String {
    format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:retainwise/database-url-AbCdEf")
}

/// The demo's API service.
pub fn backend() -> TaskDef {
    TaskDef {
        family: "retainwise-backend".into(),
        cpu: "512".into(),
        memory: "1024".into(),
        containers: vec![Container::new(
            "backend",
            &format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/retainwise-backend:3f2c1a9"),
        )
        .port(8000)
        .env("ENABLE_SQS", "true")
        .env("PREDICTIONS_QUEUE_URL", QUEUE_URL)
        .env("ENVIRONMENT", "production")
        .secret("DATABASE_URL", &db_secret())],
    }
}

/// The demo's queue consumer.
pub fn worker() -> TaskDef {
    TaskDef {
        family: "retainwise-worker".into(),
        cpu: "512".into(),
        memory: "1024".into(),
        containers: vec![Container::new(
            "worker",
            &format!("{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/retainwise-backend:3f2c1a9"),
        )
        .env("ENABLE_SQS", "true")
        .env("PREDICTIONS_QUEUE_URL", QUEUE_URL)
        .env("WORKER_CONCURRENCY", "4")
        .secret("DATABASE_URL", &db_secret())],
    }
}

/// Registers a new revision of `td`; returns its revision number.
pub async fn register(ecs: &Client, td: &TaskDef) -> i32 {
    let role = |name: &str| format!("arn:aws:iam::{ACCOUNT}:role/{name}");
    let out = ecs
        .register_task_definition()
        .family(&td.family)
        .network_mode(NetworkMode::Awsvpc)
        .requires_compatibilities(Compatibility::Fargate)
        .cpu(&td.cpu)
        .memory(&td.memory)
        .task_role_arn(role(&format!("{}-task", td.family)))
        .execution_role_arn(role("retainwise-ecs-execution"))
        .set_container_definitions(Some(
            td.containers.iter().map(|c| c.build(&td.family)).collect(),
        ))
        .tags(Tag::builder().key("app").value("retainwise").build())
        .send()
        .await
        .expect("RegisterTaskDefinition");
    out.task_definition().unwrap().revision()
}

/// Creates the cluster `name`.
pub async fn cluster(ecs: &Client, name: &str) {
    ecs.create_cluster()
        .cluster_name(name)
        .send()
        .await
        .expect("CreateCluster");
}

/// Creates a one-task service `name` in `cluster` running `family`'s latest revision.
pub async fn service(ecs: &Client, cluster: &str, name: &str, family: &str) {
    ecs.create_service()
        .cluster(cluster)
        .service_name(name)
        .task_definition(family)
        .desired_count(1)
        .send()
        .await
        .expect("CreateService");
}

/// Deregisters every revision of `family` up to `revisions`.
pub async fn deregister_all(ecs: &Client, family: &str, revisions: i32) {
    for r in 1..=revisions {
        ecs.deregister_task_definition()
            .task_definition(format!("{family}:{r}"))
            .send()
            .await
            .expect("DeregisterTaskDefinition");
    }
}

/// The task definition as Terraform's `aws_ecs_task_definition` state records it (attributes of
/// the provider's schema), written from the same description the seeding uses.
pub fn terraform_attributes(td: &TaskDef) -> serde_json::Value {
    let role = |name: &str| format!("arn:aws:iam::{ACCOUNT}:role/{name}");
    let containers: Vec<serde_json::Value> = td
        .containers
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name, "image": c.image, "essential": true, "cpu": 0,
                "portMappings": c.port.map(|p| vec![serde_json::json!({"containerPort": p, "hostPort": p, "protocol": "tcp"})]).unwrap_or_default(),
                "environment": c.env.iter().map(|(k, v)| serde_json::json!({"name": k, "value": v})).collect::<Vec<_>>(),
                "secrets": c.secrets.iter().map(|(k, v)| serde_json::json!({"name": k, "valueFrom": v})).collect::<Vec<_>>(),
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": format!("/ecs/{}", td.family), "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": c.name}},
                "mountPoints": [], "volumesFrom": [], "systemControls": []
            })
        })
        .collect();
    serde_json::json!({
        "family": td.family, "id": td.family, "revision": 1,
        "container_definitions": serde_json::to_string(&containers).unwrap(),
        "cpu": td.cpu, "memory": td.memory, "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "task_role_arn": role(&format!("{}-task", td.family)),
        "execution_role_arn": role("retainwise-ecs-execution"),
        "ipc_mode": "", "pid_mode": "", "volume": [], "placement_constraints": [],
        "proxy_configuration": [], "ephemeral_storage": [], "runtime_platform": [],
        "tags": {"app": "retainwise"}, "tags_all": {"app": "retainwise"}
    })
}
