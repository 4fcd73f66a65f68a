//! `GET /organizations`: the one organization (portal) the simulated user belongs to.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::state::App;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Organization {
    /// A decimal string; sent as a number when `org_id_as_number` is on.
    pub id: String,
    pub company_name: String,
    pub portal_name: String,
    /// The agent the simulated user is (creator of comments and attachments).
    pub agent_id: String,
    pub agent_email: String,
}

impl Organization {
    pub(crate) fn seeded() -> Self {
        Self {
            id: "60028937162".to_owned(),
            company_name: "Desk Chat Sandbox".to_owned(),
            portal_name: "deskchatsandbox".to_owned(),
            agent_id: "1329983000000139001".to_owned(),
            agent_email: "agent@deskchat.example".to_owned(),
        }
    }

    pub(crate) fn to_json(&self, id_as_number: bool, desk_host: &str) -> Value {
        let id = if id_as_number {
            self.id
                .parse::<u64>()
                .map_or_else(|_| json!(self.id), |n| json!(n))
        } else {
            json!(self.id)
        };
        json!({
            "id": id,
            "companyName": self.company_name,
            "portalName": self.portal_name,
            "portalURL": format!("https://{desk_host}/support/{}", self.portal_name),
            "edition": "PROFESSIONAL",
            "isDefault": true,
            "isAdminInOrg": true,
            "isPayloadEncryptionEnabled": false,
            "isSandboxPortal": false,
            "isSignUpEnabled": false,
            "alias": null,
            "description": null,
            "employeeCount": "10",
            "website": null,
            "phoneNumber": null,
            "mobile": null,
            "fax": null,
            "primaryContact": self.agent_email,
            "street": null,
            "city": null,
            "state": null,
            "country": null,
            "zip": null,
            "countryCode": "us",
            "currencyCode": "USD",
            "currencyLocale": "US",
            "currencySymbol": "$",
            "logoURL": null,
            "faviconURL": null
        })
    }
}

/// The Desk host of a data centre `location` (contract table "Hosts per data centre").
pub(crate) fn desk_host(location: &str) -> &'static str {
    match location {
        "eu" => "desk.zoho.eu",
        "in" => "desk.zoho.in",
        "au" => "desk.zoho.com.au",
        "jp" => "desk.zoho.jp",
        "ca" => "desk.zohocloud.ca",
        "sa" => "desk.zoho.sa",
        "cn" => "desk.zoho.com.cn",
        "uk" => "desk.zoho.uk",
        _ => "desk.zoho.com",
    }
}

pub(crate) async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    let settings = app.settings();
    let org = app.read(|d| d.organization.clone());
    Json(json!({ "data": [org.to_json(settings.org_id_as_number, desk_host(&settings.location))] }))
}
