//! Manual entry and history against `desk-sim` over real HTTP: a connected
//! app (Self Client code, as in the wizard) with one hub; what Desk ends
//! up holding is read from the simulator.

use std::sync::Arc;
use std::time::Duration;

use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::{ClientRef, ComposeConfig, ItemKind, ManualTicket, compose_manual};
use helpdesk::connect::{
    ConsentRequest, SCOPES, Setup, SetupConfig, SetupOutcome, SystemBrowser, ThrottleConfig,
};
use helpdesk::delivery::DeliveryOptions;
use helpdesk::forms::{FormField, Forms, FormsConfig, TicketFormInput};
use helpdesk::history::History;
use helpdesk::hub::Hub;
use helpdesk::outbox::{Backoff, Deliverer, ItemState, Outbox, StagedFile};
use helpdesk::secrets::{ActiveStore, MemoryStore, SecretStore};
use helpdesk::settings::{DataDir, EnvOverrides, SettingsFile};
use helpdesk::wizard::Wizard;
use zoho_desk::{DepartmentId, Priority};

struct App {
    sim: Sim,
    _dir: tempfile::TempDir,
    forms: Forms,
    history: History,
}

async fn connected_app() -> App {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    let setup = Setup::new(
        SettingsFile::new(&data_dir),
        secrets.clone(),
        SetupConfig {
            overrides: EnvOverrides::from_values(Some(&sim.base_url()), Some(&sim.desk_api_url()))
                .unwrap(),
            throttle: ThrottleConfig::unlimited(),
            callback_timeout: Duration::from_secs(10),
            http: None,
        },
    )
    .unwrap();
    let wizard = Wizard::with_setup(setup, ActiveStore::new(secrets), Arc::new(SystemBrowser));
    let code = sim.self_client_code(DEV_CLIENT_ID, &SCOPES.split(',').collect::<Vec<_>>());
    let request = ConsentRequest {
        client_id: DEV_CLIENT_ID.to_owned(),
        client_secret: DEV_CLIENT_SECRET.to_owned(),
        data_centre: Some("us".to_owned()),
        redirect_port: None,
    };
    let outcome = wizard.self_client_code(&request, &code).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Connected(_)));
    let outbox = Outbox::open(data_dir.outbox_file()).unwrap();
    let hub = Hub::on(
        wizard,
        outbox,
        DeliveryOptions {
            backoff: Backoff {
                initial: Duration::from_millis(20),
                max: Duration::from_millis(100),
            },
            concurrency: 0,
            // Deliveries happen when the tests ask (Submit, Retry).
            run_worker: false,
        },
    )
    .await;
    hub.sync().await;
    let forms = Forms::new(
        hub,
        FormsConfig {
            time_zone: "Europe/Berlin".parse().unwrap(),
            region: Some(chat_engine::Region::DE),
            wait: Duration::from_secs(5),
        },
    );
    let history = History::new(forms.clone());
    App {
        sim,
        _dir: dir,
        forms,
        history,
    }
}

fn ticket_form() -> TicketFormInput {
    TicketFormInput {
        name: "Ann Lee".into(),
        email: "ann@example.com".into(),
        phone: "0151 23456789".into(),
        subject: "Invoice for May is wrong".into(),
        description: "Line 1 <b>bold?</b>\nLine 2 🔥".into(),
        department_id: None,
        priority: "High".into(),
        status: "On Hold".into(),
        channel: "Email".into(),
        due_date: Some("2027-01-15T09:30".into()),
        attachments: Vec::new(),
    }
}

fn desk_posts(sim: &Sim, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_with_an_attachment_arrives_with_every_field_as_entered_and_the_file_once() {
    let app = connected_app().await;
    let staged = app
        .forms
        .stage_attachment("report.txt", b"printer log".to_vec())
        .unwrap();
    let mut form = ticket_form();
    form.attachments = vec![staged.token.clone()];
    let result = app.forms.submit_ticket(&form).await.unwrap();
    assert_eq!(result.state, Some(ItemState::Delivered), "{result:?}");
    let tickets = app.sim.tickets();
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(result.ticket_number.as_deref(), t["ticketNumber"].as_str());
    assert_eq!(t["subject"], "Invoice for May is wrong");
    assert_eq!(t["priority"], "High");
    assert_eq!(t["status"], "On Hold");
    assert_eq!(t["channel"], "Email");
    assert_eq!(t["email"], "ann@example.com");
    assert_eq!(t["phone"], "+4915123456789");
    assert_eq!(
        t["dueDate"], "2027-01-15T08:30:00.000Z",
        "Berlin time in UTC"
    );
    assert_eq!(
        t["departmentId"],
        serde_json::json!(app.sim.department_id("Support").unwrap())
    );
    let description = t["description"].as_str().unwrap();
    assert!(
        description.contains("Line 1 &lt;b&gt;bold?&lt;/b&gt;<br>Line 2 🔥"),
        "{description}"
    );
    let contact = app
        .sim
        .contacts()
        .into_iter()
        .find(|c| c["email"] == "ann@example.com")
        .unwrap();
    assert_eq!(
        (contact["firstName"].as_str(), contact["lastName"].as_str()),
        (Some("Ann"), Some("Lee"))
    );
    let files = app.sim.attachments(t["id"].as_str().unwrap());
    assert_eq!(files.len(), 1, "{files:#?}");

    // Drains after a restart of the worker do not upload it again.
    let deliverer = app.forms.hub().delivery().deliverer().unwrap();
    deliverer.drain(0).await.unwrap();
    assert_eq!(app.sim.attachments(t["id"].as_str().unwrap()).len(), 1);
    let page = app.history.list(None).await.unwrap();
    assert!(page.items[0].attachments[0].uploaded());
    // The staged file was used up.
    assert!(
        app.forms
            .submit_ticket(&form)
            .await
            .unwrap()
            .item_id
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desks_422_errors_land_on_the_form_field_they_name() {
    let app = connected_app().await;
    app.sim.inject(Fault::new(
        "POST",
        "/api/v1/tickets",
        FaultKind::FieldError {
            field: "/contact/email".into(),
            error_type: "invalid".into(),
            message: "The email domain is blocked.".into(),
        },
    ));
    let result = app.forms.submit_ticket(&ticket_form()).await.unwrap();
    assert_eq!(result.state, Some(ItemState::Failed), "{result:?}");
    assert_eq!(result.field_errors.len(), 1);
    assert_eq!(result.field_errors[0].field, FormField::Email);
    assert!(result.field_errors[0].message.contains("blocked"));
    assert!(app.sim.tickets().is_empty());
    // Edited from history and sent again: one ticket, same item.
    let id = result.item_id.unwrap();
    let mut form = match app.forms.edit_values(id).await.unwrap() {
        helpdesk::forms::EditValues::Ticket(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(form.subject, "Invoice for May is wrong");
    form.email = "ann@example.org".into();
    let again = app.forms.resend_ticket(id, &form).await.unwrap();
    assert_eq!(again.state, Some(ItemState::Delivered), "{again:?}");
    assert_eq!(again.item_id, Some(id));
    assert_eq!(app.sim.tickets().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_item_retried_from_history_is_delivered_once() {
    let app = connected_app().await;
    app.sim
        .inject(Fault::new("POST", "/api/v1/tickets", FaultKind::DropBeforeApply).times(50));
    let result = app.forms.submit_ticket(&ticket_form()).await.unwrap();
    assert_eq!(result.state, Some(ItemState::Queued), "{result:?}");
    assert!(result.message.unwrap().contains("History"));
    reqwest::Client::new()
        .delete(format!("{}/_sim/faults", app.sim.base_url()))
        .send()
        .await
        .unwrap();
    let entry = app.history.retry(result.item_id.unwrap()).await.unwrap();
    assert_eq!(entry.item.state, ItemState::Delivered);
    assert_eq!(app.sim.tickets().len(), 1);
    assert!(
        desk_posts(&app.sim, "/api/v1/tickets") > 1,
        "the first attempts reached the sim"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_refresh_is_batched_and_asks_about_a_ticket_at_most_once_a_minute() {
    let app = connected_app().await;
    for i in 0..5 {
        let mut form = ticket_form();
        form.subject = format!("Ticket {i}");
        let r = app.forms.submit_ticket(&form).await.unwrap();
        assert_eq!(r.state, Some(ItemState::Delivered));
    }
    app.sim.clear_requests();
    let page = app.history.refresh(None).await.unwrap();
    assert_eq!(page.refreshed, 5, "{:?}", page.refresh_error);
    assert!(
        page.items
            .iter()
            .all(|e| e.item.desk_status.as_deref() == Some("On Hold"))
    );
    let gets: Vec<String> = app
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/api/v1/tickets"))
        .map(|r| format!("{}?{}", r.path, r.query))
        .collect();
    assert_eq!(gets.len(), 1, "one list for five tickets: {gets:?}");
    assert!(gets[0].contains("sortBy=-createdTime"), "{gets:?}");

    // Again at once: nothing is due, Desk is not asked.
    app.sim.clear_requests();
    let page = app.history.refresh(None).await.unwrap();
    assert_eq!(page.refreshed, 0);
    assert!(app.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staged_attachments_survive_a_restart_and_are_uploaded_once() {
    let app = connected_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    let support = DepartmentId::new(app.sim.department_id("Support").unwrap());
    let ticket = ManualTicket {
        kind: ItemKind::Ticket,
        subject: "Restart".into(),
        description: "With a file".into(),
        department: support.clone(),
        priority: Priority::Low,
        status: "Open".into(),
        channel: "Phone".into(),
        due_date: None,
        first_name: "Bo".into(),
        last_name: "Kim".into(),
        email: Some("bo@example.com".into()),
        phone: None,
    };
    let composed = compose_manual(
        &ticket,
        &ComposeConfig::new(support.clone(), support),
        ClientRef::generate(),
    );
    {
        let outbox = Outbox::open(&path).unwrap();
        let files = [StagedFile {
            name: "a.txt".into(),
            bytes: b"kept".to_vec(),
        }];
        outbox.enqueue_with(&composed, None, &files).unwrap();
        // The app stops before anything is sent.
    }
    let outbox = Outbox::open(&path).unwrap();
    let desk = app.forms.hub().link().await.desk.unwrap();
    let deliverer = Deliverer::new(outbox.clone(), desk);
    deliverer.drain(0).await.unwrap();
    deliverer.drain(0).await.unwrap();
    let item = outbox.get_by_ref(&composed.client_ref).unwrap().unwrap();
    assert_eq!(item.state, ItemState::Delivered);
    let files = app.sim.attachments(item.ticket_id.as_deref().unwrap());
    assert_eq!(files.len(), 1);
    assert!(outbox.attachments(item.id).unwrap()[0].uploaded());
}
