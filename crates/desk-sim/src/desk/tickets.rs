//! Tickets: the full ticket object, `POST /tickets` (with the inline-contact
//! find-or-create), `GET /tickets/{id}` and `PATCH /tickets/{id}`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::contacts::NewContact;
use super::organizations::desk_host;
use super::query::query_map;
use super::validate::{Checker, json_object};
use crate::clock::zoho_now;
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::state::{App, Data};

pub(crate) const PRIORITIES: &[&str] = &["High", "Medium", "Low"];
pub(crate) const STATUSES: &[&str] = &["Open", "On Hold", "Escalated", "Closed"];
pub(crate) const CHANNELS: &[&str] = &[
    "Phone",
    "Email",
    "Web",
    "Chat",
    "Forums",
    "Twitter",
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Feedback Widget",
    "Customer Portal",
];
const CLASSIFICATIONS: &[&str] = &["Question", "Request", "Problem", "Others"];
const INCLUDES: &[&str] = &[
    "contacts",
    "products",
    "assignee",
    "departments",
    "team",
    "isRead",
];
const DESCRIPTION_MAX: usize = 65535;
const SUBJECT_MAX: usize = 255;

/// A ticket as Desk returns it from get, create and update (and search).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Ticket {
    pub id: String,
    pub ticket_number: String,
    pub subject: String,
    pub description: Option<String>,
    pub status: String,
    pub status_type: String,
    pub department_id: String,
    pub contact_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub channel: String,
    pub channel_code: Option<String>,
    pub priority: Option<String>,
    pub classification: Option<String>,
    pub category: Option<String>,
    pub sub_category: Option<String>,
    pub language: Option<String>,
    pub resolution: Option<String>,
    pub due_date: Option<String>,
    pub response_due_date: Option<String>,
    pub closed_time: Option<String>,
    pub onhold_time: Option<String>,
    pub created_time: String,
    pub modified_time: String,
    pub customer_response_time: String,
    pub web_url: String,
    pub cf: Map<String, Value>,
    pub thread_count: String,
    pub comment_count: String,
    pub attachment_count: String,
    pub task_count: String,
    pub approval_count: String,
    pub time_entry_count: String,
    pub follower_count: String,
    pub assignee_id: Option<String>,
    pub team_id: Option<String>,
    pub account_id: Option<String>,
    pub product_id: Option<String>,
    pub layout_id: Option<String>,
    pub created_by: String,
    pub modified_by: String,
    pub is_spam: bool,
    pub is_archived: bool,
    pub is_over_due: bool,
    pub is_escalated: bool,
    pub is_response_overdue: bool,
    pub is_trashed: bool,
    pub shared_departments: Vec<Value>,
    pub secondary_contacts: Vec<String>,
    pub entity_skills: Vec<Value>,
    pub source: Value,
}

impl Ticket {
    pub(crate) fn to_json(&self) -> Value {
        json!(self)
    }

    fn set_status(&mut self, status: String, now: &str) {
        self.status_type = match status.as_str() {
            "On Hold" => "On Hold",
            "Closed" => "Closed",
            _ => "Open",
        }
        .to_owned();
        self.closed_time = (status == "Closed").then(|| now.to_owned());
        self.onhold_time = (status == "On Hold").then(|| now.to_owned());
        self.is_escalated = status == "Escalated";
        self.status = status;
    }
}

/// Increments a counter kept as a decimal string (`"0"` -> `"1"`).
pub(crate) fn bump(counter: &mut String) {
    *counter = (counter.parse::<u64>().unwrap_or(0) + 1).to_string();
}

/// `Some(None)` when the body sets the field to `null`, `Some(Some(v))` when
/// it sets a valid value, `None` when absent or invalid (the error is recorded).
fn nullable(
    c: &mut Checker<'_>,
    key: &str,
    read: impl FnOnce(&mut Checker<'_>, &str) -> Option<String>,
) -> Option<Option<String>> {
    if !c.has(key) {
        return None;
    }
    if !c.present(key) {
        return Some(None);
    }
    read(c, key).map(Some)
}

/// The optional fields shared by create and update.
#[derive(Debug, Default)]
struct OptionalFields {
    description: Option<Option<String>>,
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    priority: Option<Option<String>>,
    classification: Option<Option<String>>,
    category: Option<Option<String>>,
    sub_category: Option<Option<String>>,
    language: Option<Option<String>>,
    resolution: Option<Option<String>>,
    due_date: Option<Option<String>>,
    response_due_date: Option<Option<String>>,
    assignee_id: Option<Option<String>>,
    team_id: Option<Option<String>>,
    product_id: Option<Option<String>>,
    account_id: Option<Option<String>>,
    status: Option<String>,
    channel: Option<String>,
    cf: Option<Map<String, Value>>,
    secondary_contacts: Option<Vec<String>>,
}

impl OptionalFields {
    fn read(c: &mut Checker<'_>) -> Self {
        let text = |max: usize| move |c: &mut Checker<'_>, k: &str| c.string(k, max);
        let id = |c: &mut Checker<'_>, k: &str| c.id(k);
        let time = |c: &mut Checker<'_>, k: &str| c.time(k);
        let fields = Self {
            description: nullable(c, "description", text(DESCRIPTION_MAX)),
            email: nullable(c, "email", |c, k| c.email(k)),
            phone: nullable(c, "phone", text(50)),
            priority: nullable(c, "priority", |c, k| c.one_of(k, PRIORITIES)),
            classification: nullable(c, "classification", |c, k| c.one_of(k, CLASSIFICATIONS)),
            category: nullable(c, "category", text(120)),
            sub_category: nullable(c, "subCategory", text(120)),
            language: nullable(c, "language", text(50)),
            resolution: nullable(c, "resolution", text(DESCRIPTION_MAX)),
            due_date: nullable(c, "dueDate", time),
            response_due_date: nullable(c, "responseDueDate", time),
            assignee_id: nullable(c, "assigneeId", id),
            team_id: nullable(c, "teamId", id),
            product_id: nullable(c, "productId", id),
            account_id: nullable(c, "accountId", id),
            status: None,
            channel: None,
            cf: c.custom_fields("cf"),
            secondary_contacts: c.id_list("secondaryContacts"),
        };
        let status = required_if_present(c, "status", STATUSES);
        let channel = required_if_present(c, "channel", CHANNELS);
        Self {
            status,
            channel,
            ..fields
        }
    }

    fn apply(self, t: &mut Ticket, now: &str) {
        let set = |slot: &mut Option<String>, v: Option<Option<String>>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut t.description, self.description);
        set(&mut t.email, self.email);
        set(&mut t.phone, self.phone);
        set(&mut t.priority, self.priority);
        set(&mut t.classification, self.classification);
        set(&mut t.category, self.category);
        set(&mut t.sub_category, self.sub_category);
        set(&mut t.language, self.language);
        set(&mut t.resolution, self.resolution);
        set(&mut t.due_date, self.due_date);
        set(&mut t.response_due_date, self.response_due_date);
        set(&mut t.assignee_id, self.assignee_id);
        set(&mut t.team_id, self.team_id);
        set(&mut t.product_id, self.product_id);
        set(&mut t.account_id, self.account_id);
        if let Some(status) = self.status {
            t.set_status(status, now);
        }
        if let Some(channel) = self.channel {
            t.channel = channel;
        }
        if let Some(cf) = self.cf {
            t.cf.extend(cf);
        }
        if let Some(secondary) = self.secondary_contacts {
            t.secondary_contacts = secondary;
        }
    }
}

/// A picklist field that may be absent but, when sent, may not be null.
fn required_if_present(c: &mut Checker<'_>, key: &str, values: &[&str]) -> Option<String> {
    if c.has(key) && !c.present(key) {
        let pointer = c.pointer(key);
        c.errors.push(FieldError::invalid(
            &pointer,
            format!("{key} cannot be null"),
        ));
        return None;
    }
    c.one_of(key, values)
}

const SHARED_FIELDS: &[&str] = &[
    "subject",
    "departmentId",
    "contactId",
    "description",
    "email",
    "phone",
    "priority",
    "status",
    "channel",
    "classification",
    "category",
    "subCategory",
    "language",
    "resolution",
    "dueDate",
    "responseDueDate",
    "assigneeId",
    "teamId",
    "productId",
    "accountId",
    "cf",
    "secondaryContacts",
];
const CONTACT_FIELDS: &[&str] = &["lastName", "firstName", "email", "phone", "mobile"];

/// The contact a new ticket is for.
enum ContactRef {
    Id(String),
    /// Find by email, or create.
    Inline(NewContact),
}

/// `POST /tickets`.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> DeskResult<Json<Value>> {
    let map = json_object(&headers, &body)?;
    let allowed: Vec<&str> = SHARED_FIELDS
        .iter()
        .copied()
        .chain(["contact", "uploads"])
        .collect();
    let mut c = Checker::new(&map, "", &allowed);
    let subject = c.required_string("subject", SUBJECT_MAX);
    let department_id = if c.present("departmentId") {
        c.id("departmentId")
    } else {
        c.errors.push(FieldError::missing(
            "/departmentId",
            "departmentId is required",
        ));
        None
    };
    let contact_id = c.id("contactId");
    let inline = c
        .object("contact")
        .map(|m| read_inline_contact(m, &mut c.errors));
    c.id_list("uploads");
    let optional = OptionalFields::read(&mut c);
    let contact = match (contact_id, inline) {
        (Some(id), _) => Some(ContactRef::Id(id)),
        (None, Some(Some(new))) => Some(ContactRef::Inline(new)),
        (None, Some(None)) => None,
        (None, None) => {
            if !c.present("contactId") {
                c.errors.push(FieldError::missing(
                    "/contactId",
                    "Either contactId or contact is required",
                ));
            }
            None
        }
    };
    c.finish()?;
    let (Some(subject), Some(department_id), Some(contact)) = (subject, department_id, contact)
    else {
        return Err(DeskError::internal());
    };
    let settings = app.settings();
    let search_delay = crate::sim::ms(settings.contact_search_delay);
    app.write(|d| {
        check_references(
            d,
            Some(&department_id),
            match &contact {
                ContactRef::Id(id) => Some(id),
                ContactRef::Inline(_) => None,
            },
        )?;
        let contact_id = match contact {
            ContactRef::Id(id) => id,
            ContactRef::Inline(new) => {
                match new.email.as_deref().and_then(|e| d.contact_by_email(e)) {
                    Some(existing) => existing.id.clone(),
                    None => {
                        d.add_contact(new, |_| {}, &settings.location, search_delay)
                            .id
                    }
                }
            }
        };
        let ticket = new_ticket(
            d,
            subject,
            department_id,
            contact_id,
            optional,
            &settings.location,
        );
        d.tickets.push(ticket.clone());
        Ok(Json(ticket.to_json()))
    })
}

/// Reads an inline `contact`; `None` (with errors recorded) when unusable.
fn read_inline_contact(
    map: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Option<NewContact> {
    let mut c = Checker::new(map, "/contact", CONTACT_FIELDS);
    let last_name = c.string("lastName", 80).filter(|s| !s.trim().is_empty());
    let email = c.email("email");
    let new = NewContact {
        first_name: c.string("firstName", 40),
        last_name: String::new(),
        email: email.clone(),
        phone: c.string("phone", 50),
        mobile: c.string("mobile", 50),
    };
    if last_name.is_none() && email.is_none() && !c.present("email") {
        c.errors.push(FieldError::missing(
            "/contact/lastName",
            "Either lastName or email is required in contact",
        ));
    }
    let ok = c.errors.is_empty();
    errors.append(&mut c.errors);
    // Desk names a contact made from an email alone after the email's local part.
    let last_name = last_name.or_else(|| {
        email
            .as_deref()
            .and_then(|e| e.split('@').next())
            .map(str::to_owned)
    })?;
    ok.then_some(NewContact { last_name, ..new })
}

/// A department or contact id that is well-formed but unknown: 422 `INVALID_DATA`.
fn check_references(
    d: &Data,
    department_id: Option<&String>,
    contact_id: Option<&String>,
) -> DeskResult<()> {
    let mut errors = Vec::new();
    if let Some(id) = department_id
        && !d.departments.iter().any(|dep| &dep.id == id)
    {
        errors.push(FieldError::invalid(
            "/departmentId",
            "No department has this id",
        ));
    }
    if let Some(id) = contact_id
        && d.contact(id).is_none()
    {
        errors.push(FieldError::invalid("/contactId", "No contact has this id"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DeskError::invalid_data(errors))
    }
}

fn new_ticket(
    d: &mut Data,
    subject: String,
    department_id: String,
    contact_id: String,
    optional: OptionalFields,
    location: &str,
) -> Ticket {
    let id = d.new_id();
    let number = d.new_ticket_number();
    let now = zoho_now();
    let contact = d.contact(&contact_id).cloned();
    let agent = d.organization.agent_id.clone();
    let mut ticket = Ticket {
        web_url: format!(
            "https://{}/support/{}/ShowHomePage.do#Cases/dv/{id}",
            desk_host(location),
            d.organization.portal_name
        ),
        id,
        ticket_number: number,
        subject,
        description: None,
        status: "Open".to_owned(),
        status_type: "Open".to_owned(),
        department_id,
        contact_id,
        email: contact.as_ref().and_then(|c| c.email.clone()),
        phone: contact.as_ref().and_then(|c| c.phone.clone()),
        channel: "Phone".to_owned(),
        channel_code: None,
        priority: None,
        classification: None,
        category: None,
        sub_category: None,
        language: Some("English".to_owned()),
        resolution: None,
        due_date: None,
        response_due_date: None,
        closed_time: None,
        onhold_time: None,
        created_time: now.clone(),
        modified_time: now.clone(),
        customer_response_time: now.clone(),
        cf: Map::new(),
        thread_count: "0".to_owned(),
        comment_count: "0".to_owned(),
        attachment_count: "0".to_owned(),
        task_count: "0".to_owned(),
        approval_count: "0".to_owned(),
        time_entry_count: "0".to_owned(),
        follower_count: "0".to_owned(),
        assignee_id: None,
        team_id: None,
        account_id: None,
        product_id: None,
        layout_id: None,
        created_by: agent.clone(),
        modified_by: agent,
        is_spam: false,
        is_archived: false,
        is_over_due: false,
        is_escalated: false,
        is_response_overdue: false,
        is_trashed: false,
        shared_departments: Vec::new(),
        secondary_contacts: Vec::new(),
        entity_skills: Vec::new(),
        source: json!({"appName": null, "extId": null, "permalink": null, "type": "SYSTEM", "appPhotoURL": null}),
    };
    optional.apply(&mut ticket, &now);
    ticket
}

/// The `include` query parameter: a comma-separated list of known names.
pub(crate) fn read_include(
    q: &std::collections::HashMap<String, String>,
) -> DeskResult<Vec<String>> {
    let Some(raw) = q.get("include") else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = raw.split(',').map(|s| s.trim().to_owned()).collect();
    if let Some(bad) = names.iter().find(|n| !INCLUDES.contains(&n.as_str())) {
        return Err(DeskError::unprocessable(
            format!("An invalid value '{bad}' is given for the query parameter include."),
            vec![FieldError::invalid(
                "include",
                format!("include takes: {}", INCLUDES.join(", ")),
            )],
        ));
    }
    Ok(names)
}

/// A ticket's JSON with the objects `include` asked for.
pub(crate) fn with_includes(d: &Data, t: &Ticket, mut json: Value, include: &[String]) -> Value {
    if include.iter().any(|i| i == "contacts") {
        json["contact"] = d.contact(&t.contact_id).map_or(Value::Null, |c| {
            json!({
                "id": c.id, "firstName": c.first_name, "lastName": c.last_name,
                "email": c.email, "phone": c.phone, "mobile": c.mobile, "type": c.kind, "account": null,
            })
        });
    }
    if include.iter().any(|i| i == "departments") {
        json["department"] = d
            .departments
            .iter()
            .find(|dep| dep.id == t.department_id)
            .map_or(Value::Null, |dep| json!({"id": dep.id, "name": dep.name}));
    }
    json
}

/// `GET /tickets/{id}`.
pub(crate) async fn get(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> DeskResult<Json<Value>> {
    let include = read_include(&query_map(query.as_deref()))?;
    app.read(|d| {
        let t = d.tickets.iter().find(|t| t.id == id)?;
        Some(Json(with_includes(d, t, t.to_json(), &include)))
    })
    .ok_or_else(DeskError::not_found)
}

/// `PATCH /tickets/{id}`: a partial body; returns the full ticket.
pub(crate) async fn update(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> DeskResult<Json<Value>> {
    if !app.read(|d| d.tickets.iter().any(|t| t.id == id)) {
        return Err(DeskError::not_found());
    }
    let map = json_object(&headers, &body)?;
    let mut c = Checker::new(&map, "", SHARED_FIELDS);
    let subject = c
        .has("subject")
        .then(|| c.required_string("subject", SUBJECT_MAX))
        .flatten();
    let department_id = c
        .has("departmentId")
        .then(|| not_null_id(&mut c, "departmentId"))
        .flatten();
    let contact_id = c
        .has("contactId")
        .then(|| not_null_id(&mut c, "contactId"))
        .flatten();
    let optional = OptionalFields::read(&mut c);
    c.finish()?;
    app.write(|d| {
        check_references(d, department_id.as_ref(), contact_id.as_ref())?;
        let agent = d.organization.agent_id.clone();
        let t = d
            .tickets
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(DeskError::not_found)?;
        let now = zoho_now();
        if let Some(subject) = subject {
            t.subject = subject;
        }
        if let Some(department_id) = department_id {
            t.department_id = department_id;
        }
        if let Some(contact_id) = contact_id {
            t.contact_id = contact_id;
        }
        optional.apply(t, &now);
        t.modified_time = now;
        t.modified_by = agent;
        Ok(Json(t.to_json()))
    })
}

fn not_null_id(c: &mut Checker<'_>, key: &str) -> Option<String> {
    if !c.present(key) {
        let pointer = c.pointer(key);
        c.errors.push(FieldError::invalid(
            &pointer,
            format!("{key} cannot be null"),
        ));
        return None;
    }
    c.id(key)
}
