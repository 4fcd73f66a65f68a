//! The wizard's state across steps (what the app's commands call), against
//! `desk-sim`: consent through a stand-in browser, departments, the test
//! ticket and callback through compose and the outbox, cancel, disconnect,
//! the sandbox; and no secret in what it reports.

use std::sync::Arc;
use std::time::Duration;

use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, RegisteredClient, Sim, SimConfig};
use helpdesk::compose::ItemKind;
use helpdesk::connect::{
    BrowserOpener, ConnectError, ConsentRequest, Setup, SetupConfig, SetupOutcome, ThrottleConfig,
};
use helpdesk::secrets::{ActiveStore, MemoryStore, SecretStore};
use helpdesk::settings::{DataDir, EnvOverrides, SettingsFile};
use helpdesk::wizard::Wizard;
use reqwest::redirect::Policy;
use url::Url;

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Approves the consent page (auto or manual) and follows the redirect.
struct StandInBrowser;

impl BrowserOpener for StandInBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let url = url.clone();
        tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap();
            let mut reply = client.get(url.clone()).send().await.unwrap();
            if reply.status() == 200 {
                let page = reply.text().await.unwrap();
                let marker = "name=\"consent_id\" value=\"";
                let start = page.find(marker).expect("a consent form") + marker.len();
                let id = &page[start..start + page[start..].find('"').unwrap()];
                reply = client
                    .post(url.join("/oauth/v2/auth/decide").unwrap())
                    .form(&[("consent_id", id), ("decision", "approve")])
                    .send()
                    .await
                    .unwrap();
            }
            let location = reply.headers()["location"].to_str().unwrap().to_owned();
            let _ = client.get(location).send().await;
        });
        Ok(())
    }
}

/// A browser that opens but never comes back.
struct SilentBrowser;

impl BrowserOpener for SilentBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    secrets: Arc<MemoryStore>,
    wizard: Wizard,
}

fn fixture(sim: Option<&Sim>, browser: Arc<dyn BrowserOpener>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let secrets = Arc::new(MemoryStore::new());
    let overrides = match sim {
        Some(sim) => {
            EnvOverrides::from_values(Some(&sim.base_url()), Some(&sim.desk_api_url())).unwrap()
        }
        None => EnvOverrides::default(),
    };
    let setup = Setup::new(
        SettingsFile::new(&data_dir),
        secrets.clone(),
        SetupConfig {
            overrides,
            throttle: ThrottleConfig::unlimited(),
            callback_timeout: Duration::from_secs(10),
            http: None,
        },
    )
    .unwrap();
    let store: Arc<dyn SecretStore> = secrets.clone();
    Fixture {
        _dir: dir,
        secrets,
        wizard: Wizard::with_setup(setup, ActiveStore::new(store), browser),
    }
}

async fn sim_for(port: u16) -> Sim {
    Sim::start(SimConfig {
        consent: ConsentMode::AutoApprove,
        clients: vec![RegisteredClient {
            client_id: DEV_CLIENT_ID.to_owned(),
            client_secret: DEV_CLIENT_SECRET.to_owned(),
            redirect_uris: vec![format!("http://localhost:{port}/callback")],
        }],
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn request(port: u16) -> ConsentRequest {
    ConsentRequest {
        client_id: format!(" {DEV_CLIENT_ID} "),
        client_secret: DEV_CLIENT_SECRET.to_owned(),
        data_centre: Some("eu".to_owned()),
        redirect_port: Some(port),
    }
}

fn secret_values(secrets: &MemoryStore) -> Vec<String> {
    use helpdesk::secrets::SecretName;
    [
        SecretName::ClientSecret,
        SecretName::AccessToken,
        SecretName::RefreshToken,
    ]
    .into_iter()
    .filter_map(|name| secrets.get(name).unwrap())
    .map(|v| v.expose().to_owned())
    .collect()
}

#[tokio::test]
async fn the_wizard_connects_and_sends_a_test_ticket_and_callback_through_the_outbox() {
    let port = free_port();
    let sim = sim_for(port).await;
    let f = fixture(Some(&sim), Arc::new(StandInBrowser));

    let (url, browser_error) = f.wizard.start_consent(&request(port)).await.unwrap();
    assert!(url.starts_with(&sim.base_url()), "{url}");
    assert!(browser_error.is_none());
    assert_eq!(
        f.wizard.overview().unwrap().pending_consent_url.as_deref(),
        Some(url.as_str()),
        "Copy link is offered while waiting"
    );
    let outcome = f.wizard.finish_consent().await.unwrap();
    let SetupOutcome::Connected(connection) = outcome else {
        panic!("one organization is chosen automatically")
    };
    assert!(connection.support.is_some() && connection.callbacks.is_some());
    assert!(connection.data_centre_detected, "the callback names the DC");

    let overview = f.wizard.overview().unwrap();
    assert!(overview.pending_consent_url.is_none());
    assert!(overview.status.as_ref().unwrap().connected);
    assert_eq!(overview.departments, connection.departments);

    let support = connection.support.clone().unwrap();
    let callbacks = connection.callbacks.clone().unwrap();
    f.wizard
        .choose_departments(&support.id, Some(&callbacks.id))
        .await
        .unwrap();
    assert!(matches!(
        f.wizard.choose_departments("no-such-id", None).await,
        Err(ConnectError::UnknownDepartment(_))
    ));

    let ticket = f.wizard.send_test(ItemKind::Ticket).await.unwrap();
    let callback = f.wizard.send_test(ItemKind::Callback).await.unwrap();
    assert!(ticket.delivered && callback.delivered);
    let held = serde_json::to_string(&sim.tickets()).unwrap();
    for sent in [&ticket, &callback] {
        let number = sent.ticket_number.as_deref().unwrap();
        assert!(held.contains(&format!("\"{number}\"")), "{number} in Desk");
    }
    assert!(
        held.contains(&callbacks.id),
        "the callback went to Callbacks"
    );

    // What the wizard reports (and the app forwards over IPC) holds no secret.
    let reported = serde_json::to_string(&f.wizard.overview().unwrap()).unwrap()
        + &serde_json::to_string(&ticket).unwrap();
    let secrets = secret_values(&f.secrets);
    assert_eq!(secrets.len(), 3);
    for secret in secrets {
        assert!(!reported.contains(&secret), "a secret was reported");
    }

    let report = f.wizard.disconnect().await.unwrap();
    assert!(report.message().contains("Disconnected"));
    let after = f.wizard.overview().unwrap();
    assert!(!after.status.unwrap().connected);
    assert!(after.departments.is_empty());
    assert!(matches!(
        f.wizard.send_test(ItemKind::Ticket).await,
        Err(ConnectError::NotConnected)
    ));
}

#[tokio::test]
async fn a_revoked_sign_in_is_reported_as_reconnect_needed_and_remembered() {
    let port = free_port();
    let sim = sim_for(port).await;
    let f = fixture(Some(&sim), Arc::new(StandInBrowser));
    f.wizard.start_consent(&request(port)).await.unwrap();
    f.wizard.finish_consent().await.unwrap();
    // The saved access token has expired (the next use must refresh), and
    // Zoho has revoked the refresh token.
    f.secrets
        .set(
            helpdesk::secrets::SecretName::AccessExpiry,
            &helpdesk::secrets::SecretValue::new("2000-01-01T00:00:00+00:00"),
        )
        .unwrap();
    sim.revoke_refresh_tokens();
    let error = f.wizard.send_test(ItemKind::Ticket).await;
    assert!(
        matches!(error, Err(ConnectError::ReconnectNeeded(_))),
        "{error:?}"
    );
    let status = f.wizard.status().unwrap().unwrap();
    assert!(status.reconnect_needed && !status.connected, "{status:?}");
    assert!(sim.tickets().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn cancel_ends_the_wait_and_a_paste_needs_a_waiting_consent() {
    let port = free_port();
    let sim = sim_for(port).await;
    let f = fixture(Some(&sim), Arc::new(SilentBrowser));
    assert!(matches!(
        f.wizard.paste_redirect("http://localhost/callback?code=x"),
        Err(ConnectError::Cancelled)
    ));
    f.wizard.start_consent(&request(port)).await.unwrap();
    let wizard = f.wizard.clone();
    let waiting = tokio::spawn(async move { wizard.finish_consent().await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    f.wizard.cancel_consent();
    let result = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel ends the wait")
        .unwrap();
    assert!(matches!(result, Err(ConnectError::Cancelled)), "{result:?}");
    assert!(f.wizard.overview().unwrap().pending_consent_url.is_none());
}

#[tokio::test]
async fn a_pasted_address_with_another_state_is_refused() {
    let port = free_port();
    let sim = sim_for(port).await;
    let f = fixture(Some(&sim), Arc::new(SilentBrowser));
    f.wizard.start_consent(&request(port)).await.unwrap();
    f.wizard
        .paste_redirect(&format!(
            "http://localhost:{port}/callback?code=1000.x&state=not-ours"
        ))
        .unwrap();
    assert!(matches!(
        f.wizard.finish_consent().await,
        Err(ConnectError::StateMismatch)
    ));
}

#[tokio::test]
async fn try_without_a_zoho_account_runs_the_same_consent_against_the_sandbox() {
    let f = fixture(None, Arc::new(StandInBrowser));
    let (url, _) = f.wizard.start_sandbox().await.unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let outcome = f.wizard.finish_consent().await.unwrap();
    let connection = outcome.connection().expect("connected").clone();
    assert!(connection.sandbox);
    let sent = f.wizard.send_test(ItemKind::Ticket).await.unwrap();
    assert!(sent.ticket_number.is_some());
    let status = f.wizard.status().unwrap().unwrap();
    assert!(status.connected && status.sandbox);
    f.wizard.disconnect().await.unwrap();
    let settings = f.wizard.setup().unwrap().settings().unwrap();
    assert!(!settings.sandbox && settings.accounts_url.is_none());
}
