//! The per-run fetch context each kind's fetch is given: the SDK configuration, the call
//! counter, the kinds in scope, and what serves more than one kind: the SDK clients of services
//! two kinds call (made when first asked for) and the calls whose answer both use, made once by
//! whichever kind asks first while the other awaits the same answer. Here rather than in the
//! kinds because two kinds share them; a kind alone on its service makes its own client from
//! [`Context::config`] and [`Context::calls`].

use std::sync::OnceLock;

use aws_config::SdkConfig;
use tokio::sync::OnceCell;

use super::{ecs, iam, ApiCalls};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::Kind;

pub struct Context {
    config: SdkConfig,
    calls: ApiCalls,
    kinds: Vec<Kind>,
    aws_managed: bool,
    ecs: OnceLock<aws_sdk_ecs::Client>,
    iam: OnceLock<aws_sdk_iam::Client>,
    authorization_details: OnceCell<Result<iam::RolesAndPolicies, FetchError>>,
    task_definitions: OnceCell<Result<Docs, FetchError>>,
}

impl Context {
    /// A context for fetching `kinds`; `aws_managed` also fetches what AWS owns.
    pub fn new(config: SdkConfig, calls: ApiCalls, kinds: &[Kind], aws_managed: bool) -> Self {
        Context {
            config,
            calls,
            kinds: kinds.to_vec(),
            aws_managed,
            ecs: OnceLock::new(),
            iam: OnceLock::new(),
            authorization_details: OnceCell::new(),
            task_definitions: OnceCell::new(),
        }
    }

    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn calls(&self) -> &ApiCalls {
        &self.calls
    }

    /// Whether this run fetches `kind`.
    pub fn fetches(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn ecs(&self) -> &aws_sdk_ecs::Client {
        self.ecs
            .get_or_init(|| ecs::client(&self.config, &self.calls))
    }

    pub fn iam(&self) -> &aws_sdk_iam::Client {
        self.iam
            .get_or_init(|| iam::client(&self.config, &self.calls))
    }

    /// Roles and policies from one `GetAccountAuthorizationDetails` walk, for both IAM kinds:
    /// filtered to the kinds in scope, and a failure fails both.
    pub async fn authorization_details(&self) -> &Result<iam::RolesAndPolicies, FetchError> {
        self.authorization_details
            .get_or_init(|| {
                let want = iam::Want {
                    roles: self.fetches(Kind::IamRole),
                    policies: self.fetches(Kind::IamPolicy),
                    aws_managed: self.aws_managed,
                };
                iam::roles_and_policies(self.iam(), want)
            })
            .await
    }

    /// The task definitions of this run, fetched once: the kind's own documents, and what
    /// services are compared with (their family's latest revision).
    pub async fn task_definitions(&self) -> &Result<Docs, FetchError> {
        self.task_definitions
            .get_or_init(|| ecs::task_definitions(self.ecs()))
            .await
    }
}
