//! `aws_lb_listener_certificate`: a certificate added to a listener besides its default one,
//! claimed on the listener its ARN names. The listener's port is not in that ARN: the claim
//! names the listener through its ARN, and the state's own listener instance gives the id
//! (`terraform::map::id_via_arn`). Pure.

use serde_json::Value;

use super::schema::LISTENER_CERTIFICATE;
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{id_via_arn, text};

pub(super) const RELATED: &[Related] = &[Related {
    r#type: LISTENER_CERTIFICATE,
    owner_field: "Listener",
    claims: certificate,
}];

fn certificate(a: &Value) -> Vec<Claim> {
    let (Some(listener), Some(cert)) = (text(a, "listener_arn"), text(a, "certificate_arn")) else {
        return Vec::new();
    };
    vec![Claim {
        owner: id_via_arn(listener, ""),
        field: "Certificates",
        edit: Edit::Push(vec![Value::from(cert)]),
    }]
}
