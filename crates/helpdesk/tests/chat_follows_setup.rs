//! The app's chat service against `desk-sim`: opened before the app is
//! connected, a ticket waits in the outbox; the setup is then completed
//! (a Self Client code, as in the wizard) and the chat follows it by
//! itself: the ticket is delivered once and the update is pushed.

use std::sync::Arc;
use std::time::Duration;

use chat_engine::QuickReplyId as Q;
use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Sim, SimConfig};
use helpdesk::chat::Chat;
use helpdesk::connect::{
    ConsentRequest, SCOPES, Setup, SetupConfig, SetupOutcome, SystemBrowser, ThrottleConfig,
};
use helpdesk::conversation::{ChatView, DeliveryState};
use helpdesk::secrets::{ActiveStore, MemoryStore, SecretStore};
use helpdesk::settings::{DataDir, EnvOverrides, SettingsFile};
use helpdesk::wizard::Wizard;

fn wizard(sim: &Sim, data_dir: &DataDir) -> Wizard {
    let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    let setup = Setup::new(
        SettingsFile::new(data_dir),
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
    Wizard::with_setup(setup, ActiveStore::new(secrets), Arc::new(SystemBrowser))
}

fn submission_states(view: &ChatView) -> Vec<DeliveryState> {
    view.messages
        .iter()
        .filter_map(|m| m.submission.as_ref().map(|s| s.state))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_queued_before_setup_is_delivered_once_when_setup_completes() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let wizard = wizard(&sim, &data_dir);
    let chat = Chat::open(wizard.clone(), &data_dir).await.unwrap();
    // Followed as the app's window follows it; a second follower replaces
    // the first (a view mounted again).
    let (first_tx, mut first) = tokio::sync::mpsc::unbounded_channel::<ChatView>();
    chat.follow(move |view| first_tx.send(view).is_ok());
    let (tx, mut updates) = tokio::sync::mpsc::unbounded_channel::<ChatView>();
    chat.follow(move |view| tx.send(view).is_ok());

    let view = chat.start().await.unwrap();
    assert!(!view.connected);
    chat.choose(Q::CreateTicket).await.unwrap();
    chat.say("Ann Lee").await.unwrap();
    chat.say("ann@example.com").await.unwrap();
    chat.say("+49 151 23456789").await.unwrap();
    let mut view = chat
        .say("Setup marker: my invoice for May is wrong.")
        .await
        .unwrap();
    if view.quick_replies.iter().any(|q| q.id == Q::StillNeedHelp) {
        view = chat.choose(Q::StillNeedHelp).await.unwrap();
    }
    assert!(view.quick_replies.iter().any(|q| q.id == Q::Submit));
    let view = chat.choose(Q::Submit).await.unwrap();
    assert_eq!(submission_states(&view), [DeliveryState::Queued]);
    assert!(sim.tickets().is_empty());

    // The admin finishes setup; the chat is told nothing.
    let code = sim.self_client_code(DEV_CLIENT_ID, &SCOPES.split(',').collect::<Vec<_>>());
    let request = ConsentRequest {
        client_id: DEV_CLIENT_ID.to_owned(),
        client_secret: DEV_CLIENT_SECRET.to_owned(),
        data_centre: Some("us".to_owned()),
        redirect_port: None,
    };
    let outcome = wizard.self_client_code(&request, &code).await.unwrap();
    assert!(matches!(outcome, SetupOutcome::Connected(_)));

    let sent = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let view = updates.recv().await.expect("updates go on");
            if submission_states(&view) == [DeliveryState::Sent] {
                return view;
            }
        }
    })
    .await
    .expect("the queued ticket is sent once the setup is done");
    assert!(sent.connected);
    assert!(
        first.try_recv().is_err(),
        "the replaced follower got nothing more"
    );
    let tickets = sim.tickets();
    assert_eq!(tickets.len(), 1, "{tickets:#?}");
    assert_eq!(
        tickets[0]["departmentId"],
        serde_json::json!(sim.department_id("Support").unwrap())
    );
    let number = tickets[0]["ticketNumber"].as_str().unwrap();
    assert!(
        sent.messages
            .iter()
            .any(|m| m.text.contains(&format!("#{number}"))),
        "{sent:#?}"
    );
}
