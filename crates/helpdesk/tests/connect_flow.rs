//! The setup flow end to end against `desk-sim`: each test starts its own
//! simulator on 127.0.0.1:0 and a stand-in system browser that follows the
//! consent page (approving the Manual page by posting its form) and the
//! redirect to the loopback listener.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, RegisteredClient, Sim, SimConfig};
use helpdesk::connect::{
    BrowserOpener, ConnectError, ConsentRequest, LoopbackReceiver, RevokeOutcome, SCOPES, Sandbox,
    SandboxOptions, Setup, SetupConfig, SetupOutcome, SetupWarning, ThrottleConfig,
};
use helpdesk::secrets::{MemoryStore, SecretName, SecretStore};
use helpdesk::settings::{DataDir, EnvOverrides, SettingsFile};
use reqwest::redirect::Policy;
use url::Url;
use zoho_desk::{
    ContactRef, DepartmentId, HttpClient, HttpConfig, InlineContact, NewTicket, RetryPolicy,
    TicketListQuery,
};

// ---- helpers ---------------------------------------------------------------

/// A port that was free a moment ago (the redirect URI must be registered
/// in the simulator before the flow binds it, as in the Zoho API console).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn redirect(port: u16) -> String {
    format!("http://localhost:{port}/callback")
}

async fn sim_for(port: u16, consent: ConsentMode, tweak: impl FnOnce(&mut SimConfig)) -> Sim {
    let mut config = SimConfig {
        consent,
        clients: vec![RegisteredClient {
            client_id: DEV_CLIENT_ID.to_owned(),
            client_secret: DEV_CLIENT_SECRET.to_owned(),
            redirect_uris: vec![redirect(port)],
        }],
        ..SimConfig::default()
    };
    tweak(&mut config);
    Sim::start(config).await.unwrap()
}

fn http() -> HttpClient {
    HttpClient::new(HttpConfig {
        retry: RetryPolicy::never(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    })
    .unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    data_dir: DataDir,
    secrets: Arc<MemoryStore>,
    setup: Setup,
}

fn fixture_with(accounts: &str, desk: &str, throttle: ThrottleConfig) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let secrets = Arc::new(MemoryStore::new());
    let setup = Setup::new(
        SettingsFile::new(&data_dir),
        secrets.clone(),
        SetupConfig {
            overrides: EnvOverrides::from_values(Some(accounts), Some(desk)).unwrap(),
            throttle,
            callback_timeout: Duration::from_secs(10),
            http: Some(http()),
        },
    )
    .unwrap();
    Fixture {
        _dir: dir,
        data_dir,
        secrets,
        setup,
    }
}

fn fixture(sim: &Sim) -> Fixture {
    fixture_with(
        &sim.base_url(),
        &sim.desk_api_url(),
        ThrottleConfig::unlimited(),
    )
}

fn dev_request(port: u16) -> ConsentRequest {
    ConsentRequest {
        client_id: DEV_CLIENT_ID.to_owned(),
        client_secret: DEV_CLIENT_SECRET.to_owned(),
        data_centre: Some("us".to_owned()),
        redirect_port: Some(port),
    }
}

/// What the stand-in browser saw on the loopback page.
#[derive(Debug, Clone)]
struct Landing {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
    address: String,
}

/// A stand-in system browser: fetches the consent URL, approves the Manual
/// page by posting its form, follows the redirect to the loopback listener.
#[derive(Default, Clone)]
struct StandInBrowser {
    landings: Arc<Mutex<Vec<Landing>>>,
}

impl BrowserOpener for StandInBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let url = url.clone();
        let landings = self.landings.clone();
        // A real browser opens asynchronously too.
        tokio::spawn(async move {
            let address = consent_redirect(&url).await;
            let client = reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap();
            let reply = client.get(&address).send().await.unwrap();
            let landing = Landing {
                status: reply.status().as_u16(),
                headers: reply.headers().clone(),
                body: reply.text().await.unwrap(),
                address,
            };
            landings.lock().unwrap().push(landing);
        });
        Ok(())
    }
}

/// Goes through the consent page and returns where it redirects to.
async fn consent_redirect(url: &Url) -> String {
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
        let decide = url.join("/oauth/v2/auth/decide").unwrap();
        reply = client
            .post(decide)
            .form(&[("consent_id", id), ("decision", "approve")])
            .send()
            .await
            .unwrap();
    }
    assert_eq!(reply.status(), 302, "the consent page redirects");
    reply.headers()["location"].to_str().unwrap().to_owned()
}

/// A browser that cannot be started.
struct BrokenBrowser;

impl BrowserOpener for BrokenBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Err("no browser installed".to_owned())
    }
}

/// A browser that opens but never comes back (the user wanders off).
struct SilentBrowser;

impl BrowserOpener for SilentBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }
}

fn connected(outcome: SetupOutcome) -> helpdesk::connect::Connection {
    match outcome {
        SetupOutcome::Connected(connection) => *connection,
        other => panic!("not connected: {other:?}"),
    }
}

async fn port_is_closed(port: u16) -> bool {
    tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
}

fn query_param(url: &Url, key: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

// ---- the whole flow ----------------------------------------------------------

#[tokio::test]
async fn connecting_through_the_browser_chooses_org_and_departments_and_saves_everything() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::Manual, |_| {}).await;
    let f = fixture(&sim);
    let browser = StandInBrowser::default();

    let pending = f
        .setup
        .start_consent(&dev_request(port), &browser)
        .await
        .unwrap();
    assert!(pending.browser_error().is_none());
    assert_eq!(pending.redirect_uri(), redirect(port));
    let consent_url = pending.consent_url().clone();
    assert_eq!(query_param(&consent_url, "scope"), SCOPES);
    assert_eq!(query_param(&consent_url, "redirect_uri"), redirect(port));
    assert_eq!(query_param(&consent_url, "code_challenge_method"), "S256");
    let connection = connected(pending.finish().await.unwrap());

    assert_eq!(connection.organization.id, sim.org_id());
    assert_eq!(
        connection.support.as_ref().unwrap().id,
        sim.department_id("Support").unwrap()
    );
    assert_eq!(
        connection.callbacks.as_ref().unwrap().id,
        sim.department_id("Callbacks").unwrap()
    );
    assert!(connection.warnings.is_empty(), "{:?}", connection.warnings);
    assert_eq!(connection.data_centre.as_deref(), Some("us"));
    assert!(connection.data_centre_detected);
    assert!(!connection.sandbox);

    // Settings saved, secrets in the store, none of them in the settings file.
    let settings = SettingsFile::new(&f.data_dir).load().unwrap();
    assert_eq!(settings.org_id.as_deref(), Some(sim.org_id().as_str()));
    assert_eq!(settings.client_id.as_deref(), Some(DEV_CLIENT_ID));
    assert_eq!(settings.redirect_port, port);
    assert!(
        settings.accounts_url.is_none(),
        "environment overrides are not saved"
    );
    assert_eq!(
        settings.callbacks_department_name.as_deref(),
        Some("Callbacks")
    );
    let refresh = f.secrets.get(SecretName::RefreshToken).unwrap().unwrap();
    let access = f.secrets.get(SecretName::AccessToken).unwrap().unwrap();
    assert_eq!(
        f.secrets
            .get(SecretName::ClientSecret)
            .unwrap()
            .unwrap()
            .expose(),
        DEV_CLIENT_SECRET
    );
    let file = std::fs::read_to_string(f.data_dir.settings_file()).unwrap();
    for secret in [refresh.expose(), access.expose(), DEV_CLIENT_SECRET] {
        assert!(!file.contains(secret), "a secret in settings.json");
    }

    // The browser got a fixed page that reflects nothing it sent.
    let landing = browser.landings.lock().unwrap()[0].clone();
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("Desk Chat"));
    let sent = Url::parse(&landing.address).unwrap();
    for (_, value) in sent.query_pairs() {
        assert!(!landing.body.contains(value.as_ref()), "reflected {value}");
    }
    assert_eq!(landing.headers["referrer-policy"], "no-referrer");
    assert!(
        landing.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );

    // The exchange used PKCE at the accounts server the callback named.
    let token_call = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/v2/token")
        .unwrap();
    assert_eq!(token_call.status, 200);

    // The listener is gone.
    assert!(port_is_closed(port).await);

    // And the connection works.
    let desk = f.setup.desk_client().unwrap();
    desk.tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();
    let status = f.setup.status().unwrap();
    assert!(status.connected && !status.reconnect_needed && !status.secrets_in_file);
    assert_eq!(status.org_name, Some(connection.organization.name.clone()));

    // No secret in any Debug output.
    let shown = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        f.setup,
        f.secrets,
        settings,
        connection,
        f.setup.status().unwrap()
    );
    for secret in [refresh.expose(), access.expose(), DEV_CLIENT_SECRET] {
        assert!(!shown.contains(secret), "a secret in Debug output");
    }
}

#[tokio::test]
async fn the_data_centre_the_callback_reports_wins_over_the_chosen_one() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |c| {
        c.location = "eu".to_owned()
    })
    .await;
    let f = fixture(&sim);
    let outcome = f
        .setup
        .connect(&dev_request(port), &StandInBrowser::default())
        .await
        .unwrap();
    let connection = connected(outcome);
    assert_eq!(connection.data_centre.as_deref(), Some("eu"));
    assert!(connection.data_centre_detected);
    assert!(
        connection
            .warnings
            .contains(&SetupWarning::DataCentreDiffers {
                chosen: "us".to_owned(),
                detected: "eu".to_owned()
            })
    );
    let settings = f.setup.settings().unwrap();
    assert_eq!(settings.data_centre.as_deref(), Some("eu"));
}

#[tokio::test]
async fn a_desk_without_a_callbacks_department_connects_with_a_clear_warning() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |c| {
        c.seed_callbacks_department = false
    })
    .await;
    let f = fixture(&sim);
    let connection = connected(
        f.setup
            .connect(&dev_request(port), &StandInBrowser::default())
            .await
            .unwrap(),
    );
    assert!(connection.support.is_some());
    assert!(connection.callbacks.is_none());
    assert_eq!(
        connection.warnings,
        vec![SetupWarning::NoCallbacksDepartment]
    );
    assert!(
        SetupWarning::NoCallbacksDepartment
            .to_string()
            .contains("Callbacks")
    );
}

// ---- errors --------------------------------------------------------------------

async fn connect_error(consent: ConsentMode, tweak: impl FnOnce(&mut SimConfig)) -> ConnectError {
    let port = free_port();
    let sim = sim_for(port, consent, tweak).await;
    let f = fixture(&sim);
    let err = f
        .setup
        .connect(&dev_request(port), &StandInBrowser::default())
        .await
        .unwrap_err();
    assert!(port_is_closed(port).await, "the listener closed");
    assert!(f.secrets.get(SecretName::RefreshToken).unwrap().is_none());
    err
}

#[tokio::test]
async fn consent_denied_on_the_zoho_page_is_reported() {
    let err = connect_error(ConsentMode::AutoDeny, |_| {}).await;
    assert!(matches!(err, ConnectError::ConsentDenied), "{err:?}");
    assert!(err.to_string().contains("Accept"));
}

#[tokio::test]
async fn a_zoho_user_without_desk_gets_no_org() {
    let err = connect_error(ConsentMode::NoOrg, |_| {}).await;
    assert!(matches!(err, ConnectError::NoOrg), "{err:?}");
    assert!(err.to_string().contains("no Zoho Desk organization"));
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_naming_the_data_centre() {
    let err = connect_error(ConsentMode::AutoApprove, |c| {
        c.clients[0].client_secret = "ffffffffffffffffffffffffffffffffffffffffff".to_owned();
    })
    .await;
    assert!(matches!(err, ConnectError::InvalidClient), "{err:?}");
    assert!(err.to_string().contains("data centre"));
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let pending = f
        .setup
        .start_consent(&dev_request(port), &SilentBrowser)
        .await
        .unwrap();
    // A forged redirect from another page, with a code of the attacker's.
    let forged = format!(
        "http://localhost:{port}/callback?code=1000.attacker&state=forged&location=us&accounts-server={}",
        sim.base_url()
    );
    let reply = reqwest::get(&forged).await.unwrap();
    assert_eq!(reply.status(), 200);
    let err = pending.finish().await.unwrap_err();
    assert!(matches!(err, ConnectError::StateMismatch), "{err:?}");
    assert!(
        sim.requests().iter().all(|r| r.path != "/oauth/v2/token"),
        "no code was exchanged"
    );
}

#[tokio::test]
async fn an_accounts_server_outside_the_allowlist_is_refused() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let pending = f
        .setup
        .start_consent(&dev_request(port), &SilentBrowser)
        .await
        .unwrap();
    let state = query_param(pending.consent_url(), "state");
    pending.paste(&format!(
        "http://localhost:{port}/callback?code=1000.c&state={state}&location=us&accounts-server=https%3A%2F%2Faccounts.zoho.com.evil.example"
    ));
    let err = pending.finish().await.unwrap_err();
    assert!(
        matches!(&err, ConnectError::UntrustedAccountsServer { host } if host == "accounts.zoho.com.evil.example"),
        "{err:?}"
    );
}

#[tokio::test]
async fn when_the_browser_does_not_open_the_link_can_be_copied_and_the_address_pasted() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let pending = f
        .setup
        .start_consent(&dev_request(port), &BrokenBrowser)
        .await
        .unwrap();
    let err = pending.browser_error().unwrap();
    assert!(matches!(err, ConnectError::BrowserDidNotOpen { .. }));
    assert!(err.to_string().contains("Copy link"));
    // The user opens the copied link elsewhere; that browser cannot reach
    // this machine, so the user pastes the address it was sent to.
    let address = consent_redirect(pending.consent_url()).await;
    pending.paste(&address);
    let connection = connected(pending.finish().await.unwrap());
    assert_eq!(connection.organization.id, sim.org_id());
    assert!(port_is_closed(port).await);
}

#[tokio::test]
async fn connect_without_a_waiting_screen_reports_a_browser_that_did_not_open() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let err = f
        .setup
        .connect(&dev_request(port), &BrokenBrowser)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConnectError::BrowserDidNotOpen { .. }),
        "{err:?}"
    );
    assert!(port_is_closed(port).await);
}

#[tokio::test]
async fn waiting_too_long_times_out_and_closes_the_listener() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup::new(
        SettingsFile::new(&DataDir::new(dir.path())),
        Arc::new(MemoryStore::new()),
        SetupConfig {
            overrides: EnvOverrides::from_values(Some(&sim.base_url()), Some(&sim.desk_api_url()))
                .unwrap(),
            throttle: ThrottleConfig::unlimited(),
            callback_timeout: Duration::from_millis(300),
            http: Some(http()),
        },
    )
    .unwrap();
    let err = setup
        .connect(&dev_request(port), &SilentBrowser)
        .await
        .unwrap_err();
    assert!(matches!(err, ConnectError::TimedOut { .. }), "{err:?}");
    assert!(port_is_closed(port).await);
}

#[tokio::test]
async fn cancel_ends_the_wait_and_closes_the_listener() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let pending = f
        .setup
        .start_consent(&dev_request(port), &SilentBrowser)
        .await
        .unwrap();
    assert!(!port_is_closed(port).await, "listening while waiting");
    let handle = pending.handle();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        handle.cancel();
    });
    let err = pending.finish().await.unwrap_err();
    assert!(matches!(err, ConnectError::Cancelled), "{err:?}");
    assert!(port_is_closed(port).await);
}

#[tokio::test]
async fn a_port_in_use_is_named_with_a_reminder_to_register_the_new_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = LoopbackReceiver::bind(port).await.unwrap_err();
    assert!(
        matches!(err, ConnectError::PortInUse { port: p } if p == port),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(&port.to_string()), "{message}");
    assert!(message.contains("Zoho API console"), "{message}");
}

#[tokio::test]
async fn consent_cannot_be_started_in_a_loop() {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture_with(
        &sim.base_url(),
        &sim.desk_api_url(),
        ThrottleConfig::default(),
    );
    let first = f
        .setup
        .start_consent(&dev_request(port), &SilentBrowser)
        .await
        .unwrap();
    first.cancel();
    let _ = first.finish().await;
    let err = f
        .setup
        .start_consent(&dev_request(port), &SilentBrowser)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConnectError::TooManyAttempts { retry_in } if retry_in > Duration::from_secs(25)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_malformed_client_id_is_refused_before_anything_is_opened() {
    let f = fixture_with(
        "http://127.0.0.1:9",
        "http://127.0.0.1:9/api/v1",
        ThrottleConfig::unlimited(),
    );
    let request = ConsentRequest {
        client_id: "my client".to_owned(),
        ..dev_request(free_port())
    };
    let err = f
        .setup
        .start_consent(&request, &BrokenBrowser)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConnectError::InvalidClientId { .. }),
        "{err:?}"
    );
}

// ---- the loopback listener ---------------------------------------------------

#[tokio::test]
async fn the_listener_takes_exactly_one_callback_and_then_closes() {
    let receiver = LoopbackReceiver::bind(0).await.unwrap();
    let port = receiver.port();
    assert_eq!(
        receiver.redirect_uri(),
        format!("http://localhost:{port}/callback")
    );
    let base = format!("http://127.0.0.1:{port}");
    // Other paths are 404 and do not count.
    assert_eq!(
        reqwest::get(format!("{base}/favicon.ico"))
            .await
            .unwrap()
            .status(),
        404
    );
    let waiting = tokio::spawn(receiver.wait());
    let page = reqwest::get(format!("{base}/callback?code=abc&state=<script>"))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(!body.contains("abc") && !body.contains("script>"), "{body}");
    let received = waiting.await.unwrap().unwrap();
    assert_eq!(received.address, "code=abc&state=%3Cscript%3E");
    assert!(port_is_closed(port).await);
}

#[tokio::test]
async fn the_listener_answers_on_ipv6_loopback_too_where_it_exists() {
    let receiver = LoopbackReceiver::bind(0).await.unwrap();
    let port = receiver.port();
    if receiver.addrs().iter().all(|a| a.is_ipv4()) {
        return; // no ::1 on this machine: v4 alone is the documented fallback
    }
    let waiting = tokio::spawn(receiver.wait());
    let reply = reqwest::get(format!("http://[::1]:{port}/callback?x=1"))
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(waiting.await.unwrap().unwrap().address, "x=1");
}

#[tokio::test]
async fn a_request_for_another_host_does_not_count() {
    let receiver = LoopbackReceiver::bind(0).await.unwrap();
    let port = receiver.port();
    let handle = receiver.handle();
    let waiting = tokio::spawn(receiver.wait());
    // What a web page reaching the port through DNS rebinding would send.
    let reply = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/callback?code=x&state=y"))
        .header("Host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 404);
    handle.cancel();
    assert!(matches!(
        waiting.await.unwrap(),
        Err(ConnectError::Cancelled)
    ));
}

// ---- Self Client code, .env import -----------------------------------------------

fn scopes() -> Vec<&'static str> {
    SCOPES.split(',').collect()
}

#[tokio::test]
async fn a_self_client_code_connects_without_a_browser() {
    let sim = sim_for(free_port(), ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let code = sim.self_client_code(DEV_CLIENT_ID, &scopes());
    let connection = connected(
        f.setup
            .exchange_self_client_code(&dev_request(8000), &code)
            .await
            .unwrap(),
    );
    assert_eq!(connection.organization.id, sim.org_id());
    assert!(!connection.data_centre_detected);
    assert!(f.secrets.get(SecretName::RefreshToken).unwrap().is_some());
    // Single-use.
    let err = f
        .setup
        .exchange_self_client_code(&dev_request(8000), &code)
        .await
        .unwrap_err();
    assert!(matches!(err, ConnectError::InvalidCode), "{err:?}");
}

#[tokio::test]
async fn a_token_missing_a_scope_asks_to_reconnect_granting_all_scopes() {
    let sim = sim_for(free_port(), ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let code = sim.self_client_code(DEV_CLIENT_ID, &["Desk.tickets.READ"]);
    let err = f
        .setup
        .exchange_self_client_code(&dev_request(8000), &code)
        .await
        .unwrap_err();
    assert!(matches!(err, ConnectError::ScopeMismatch { .. }), "{err:?}");
    assert!(err.needs_reconnect());
    assert!(err.to_string().contains("accept all the permissions"));
}

#[tokio::test]
async fn zoho_unreachable_is_reported_as_such() {
    let dead = free_port();
    let f = fixture_with(
        &format!("http://127.0.0.1:{dead}"),
        &format!("http://127.0.0.1:{dead}/api/v1"),
        ThrottleConfig::unlimited(),
    );
    let err = f
        .setup
        .exchange_self_client_code(&dev_request(8000), "1000.code")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConnectError::ZohoUnreachable { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("internet connection"));
}

#[tokio::test]
async fn an_imported_access_token_works_until_it_expires_then_reconnect_is_needed() {
    let sim = sim_for(free_port(), ConsentMode::AutoApprove, |_| {}).await;
    // As the guide had it: an access token alone, no refresh token.
    let f = fixture_with(
        &sim.base_url(),
        "https://desk.zoho.com/api/v1",
        ThrottleConfig::unlimited(),
    );
    let (access, _refresh) = sim.issue_tokens(DEV_CLIENT_ID, &scopes());
    let env = format!(
        "# .env from the guide\nDESK_ACCESS_TOKEN={access}\nDESK_ORGANIZATION_ID={}\nDESK_API_URL={}\n",
        sim.org_id(),
        sim.desk_api_url()
    );
    // The .env's DESK_API_URL is a loopback test server: no env override for Desk here.
    let f = Fixture {
        setup: Setup::new(
            SettingsFile::new(&f.data_dir),
            f.secrets.clone(),
            SetupConfig {
                overrides: EnvOverrides::from_values(Some(&sim.base_url()), None).unwrap(),
                throttle: ThrottleConfig::unlimited(),
                callback_timeout: Duration::from_secs(5),
                http: Some(http()),
            },
        )
        .unwrap(),
        ..f
    };
    let connection = connected(f.setup.import_env(&env).await.unwrap());
    assert_eq!(connection.organization.id, sim.org_id());
    assert!(connection.support.is_some());
    let desk = f.setup.desk_client().unwrap();
    desk.tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();

    sim.expire_access_tokens();
    let err = desk
        .tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap_err();
    assert!(err.needs_reconnect(), "{err:?}");
    let err = ConnectError::from(err);
    assert!(matches!(err, ConnectError::ReconnectNeeded(_)), "{err:?}");
    assert!(err.to_string().contains("reconnect"));

    // The status area says so from now on, also after a restart.
    assert!(f.setup.status().unwrap().connected, "not known before");
    f.setup.record_reconnect_needed().unwrap();
    let status = f.setup.status().unwrap();
    assert!(status.reconnect_needed && !status.connected, "{status:?}");
}

#[tokio::test]
async fn an_imported_refresh_token_keeps_the_connection_alive() {
    let sim = sim_for(free_port(), ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, &scopes());
    let env = format!(
        "DESK_ACCESS_TOKEN={access}\nDESK_ORGANIZATION_ID={}\nZOHO_CLIENT_ID={DEV_CLIENT_ID}\nZOHO_CLIENT_SECRET={DEV_CLIENT_SECRET}\nZOHO_REFRESH_TOKEN={refresh}\n",
        sim.org_id()
    );
    connected(f.setup.import_env(&env).await.unwrap());
    sim.expire_access_tokens();
    let desk = f.setup.desk_client().unwrap();
    desk.tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();
    assert_eq!(sim.refresh_count(), 1);
}

// ---- disconnect ------------------------------------------------------------------

async fn connected_fixture() -> (Sim, Fixture) {
    let port = free_port();
    let sim = sim_for(port, ConsentMode::AutoApprove, |_| {}).await;
    let f = fixture(&sim);
    connected(
        f.setup
            .connect(&dev_request(port), &StandInBrowser::default())
            .await
            .unwrap(),
    );
    (sim, f)
}

#[tokio::test]
async fn disconnect_revokes_the_refresh_token_at_zoho_and_wipes_local_secrets() {
    let (sim, f) = connected_fixture().await;
    let refresh = f.secrets.get(SecretName::RefreshToken).unwrap().unwrap();
    let report = f.setup.disconnect().await.unwrap();
    assert_eq!(report.revoke, RevokeOutcome::Revoked);
    let revoke = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/v2/token/revoke")
        .expect("a revoke call");
    assert_eq!((revoke.method.as_str(), revoke.status), ("POST", 200));
    assert!(!revoke.query.contains(refresh.expose()));
    for name in SecretName::ALL {
        assert!(f.secrets.get(name).unwrap().is_none(), "{name:?} left");
    }
    let status = f.setup.status().unwrap();
    assert!(!status.connected);
    assert!(f.setup.settings().unwrap().org_id.is_none());
    // Zoho no longer honours it.
    let accounts =
        zoho_desk::AccountsClient::new(http(), zoho_desk::BaseUrl::parse(&sim.base_url()).unwrap());
    let credentials = zoho_desk::ClientCredentials::new(
        zoho_desk::ClientId::new(DEV_CLIENT_ID),
        zoho_desk::ClientSecret::new(DEV_CLIENT_SECRET),
    );
    assert!(
        accounts
            .refresh(
                &credentials,
                &zoho_desk::RefreshToken::new(refresh.expose())
            )
            .await
            .is_err()
    );
}

#[tokio::test]
async fn disconnect_wipes_local_secrets_even_when_zoho_is_unreachable_and_says_so() {
    let (sim, f) = connected_fixture().await;
    sim.shutdown().await;
    let report = f.setup.disconnect().await.unwrap();
    assert!(
        matches!(report.revoke, RevokeOutcome::NotRevoked { .. }),
        "{report:?}"
    );
    assert!(report.message().contains("Connected Apps"));
    for name in SecretName::ALL {
        assert!(f.secrets.get(name).unwrap().is_none(), "{name:?} left");
    }
}

// ---- sandbox -----------------------------------------------------------------------

#[tokio::test]
async fn the_sandbox_runs_the_same_flow_and_its_tickets_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let port = free_port();
    let settings_file = SettingsFile::new(&data_dir);
    let secrets = Arc::new(MemoryStore::new());
    let options = SandboxOptions {
        redirect_port: Some(port),
        ..SandboxOptions::default()
    };
    let setup_for = || {
        Setup::new(
            settings_file.clone(),
            secrets.clone(),
            SetupConfig {
                throttle: ThrottleConfig::unlimited(),
                http: Some(http()),
                ..SetupConfig::default()
            },
        )
        .unwrap()
    };

    let sandbox = Sandbox::start_with(&data_dir, options.clone())
        .await
        .unwrap();
    sandbox.configure(&settings_file).unwrap();
    let setup = setup_for();
    let request = ConsentRequest {
        redirect_port: Some(port),
        ..sandbox.consent_request()
    };
    // The Manual consent page, approved in the (stand-in) system browser.
    let connection = connected(
        setup
            .connect(&request, &StandInBrowser::default())
            .await
            .unwrap(),
    );
    assert!(connection.sandbox);
    assert!(setup.status().unwrap().sandbox);
    let support = DepartmentId::new(connection.support.unwrap().id);
    let ticket = setup
        .desk_client()
        .unwrap()
        .tickets()
        .create(&NewTicket::new(
            "Sandbox test ticket",
            support,
            ContactRef::Inline(InlineContact {
                email: Some("ada@example.com".to_owned()),
                ..InlineContact::default()
            }),
        ))
        .await
        .unwrap();
    sandbox.shutdown().await;

    // Restart: a new simulator on a new port, same state file, same tokens.
    let sandbox = Sandbox::start_with(&data_dir, options).await.unwrap();
    sandbox.configure(&settings_file).unwrap();
    let setup = setup_for();
    assert!(setup.status().unwrap().connected);
    let tickets = setup
        .desk_client()
        .unwrap()
        .tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();
    assert!(tickets.iter().any(|t| t.id == ticket.id), "{tickets:?}");
}

#[tokio::test]
async fn without_overrides_the_consent_page_is_the_chosen_data_centres_zoho_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup::new(
        SettingsFile::new(&DataDir::new(dir.path())),
        Arc::new(MemoryStore::new()),
        SetupConfig {
            throttle: ThrottleConfig::unlimited(),
            http: Some(http()),
            ..SetupConfig::default()
        },
    )
    .unwrap();
    let request = ConsentRequest {
        data_centre: Some("in".to_owned()),
        ..dev_request(free_port())
    };
    let pending = setup.start_consent(&request, &SilentBrowser).await.unwrap();
    let url = pending.consent_url();
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.host_str(), Some("accounts.zoho.in"));
    assert_eq!(url.path(), "/oauth/v2/auth");
    assert_eq!(query_param(url, "access_type"), "offline");
    assert_eq!(query_param(url, "prompt"), "consent");
    pending.cancel();
    assert!(matches!(
        pending.finish().await,
        Err(ConnectError::Cancelled)
    ));
}

#[tokio::test]
async fn leaving_the_sandbox_removes_its_servers_and_mark_from_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let settings_file = SettingsFile::new(&data_dir);
    let sandbox = Sandbox::start(&data_dir).await.unwrap();
    let settings = sandbox.configure(&settings_file).unwrap();
    assert!(settings.sandbox);
    assert_eq!(settings.accounts_url, Some(sandbox.accounts_url()));
    let settings = Sandbox::leave(&settings_file).unwrap();
    assert!(!settings.sandbox);
    assert!(settings.accounts_url.is_none() && settings.desk_api_url.is_none());
    assert_eq!(
        settings.endpoints().unwrap().accounts.as_str(),
        "https://accounts.zoho.com"
    );
}

#[tokio::test]
async fn reconnecting_revokes_the_refresh_token_it_replaces() {
    let (sim, f) = connected_fixture().await;
    let first = f.secrets.get(SecretName::RefreshToken).unwrap().unwrap();
    sim.clear_requests();
    let code = sim.self_client_code(DEV_CLIENT_ID, &scopes());
    connected(
        f.setup
            .exchange_self_client_code(&dev_request(8000), &code)
            .await
            .unwrap(),
    );
    let second = f.secrets.get(SecretName::RefreshToken).unwrap().unwrap();
    assert_ne!(first, second);
    let revokes: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/oauth/v2/token/revoke")
        .collect();
    assert_eq!(revokes.len(), 1, "{revokes:?}");
    assert_eq!(revokes[0].status, 200);
    // The new one works, the old one does not.
    let accounts =
        zoho_desk::AccountsClient::new(http(), zoho_desk::BaseUrl::parse(&sim.base_url()).unwrap());
    let credentials = zoho_desk::ClientCredentials::new(
        zoho_desk::ClientId::new(DEV_CLIENT_ID),
        zoho_desk::ClientSecret::new(DEV_CLIENT_SECRET),
    );
    let refresh = |t: &str| zoho_desk::RefreshToken::new(t);
    assert!(
        accounts
            .refresh(&credentials, &refresh(first.expose()))
            .await
            .is_err()
    );
    assert!(
        accounts
            .refresh(&credentials, &refresh(second.expose()))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_admin_can_choose_the_organization_and_other_departments() {
    let (sim, f) = connected_fixture().await;
    let connection = f.setup.choose_organization(&sim.org_id()).await.unwrap();
    assert_eq!(connection.organization.id, sim.org_id());
    assert!(connection.departments.len() >= 2);
    let err = f
        .setup
        .choose_organization("60000000001")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConnectError::UnknownOrganization(_)),
        "{err:?}"
    );
    // Callbacks into the support department, say.
    let support = connection.support.clone().unwrap();
    let settings = f
        .setup
        .choose_departments(&support, Some(&support))
        .unwrap();
    assert_eq!(settings.callbacks_department_id, Some(support.id.clone()));
    assert_eq!(
        SettingsFile::new(&f.data_dir)
            .load()
            .unwrap()
            .callbacks_department_name,
        Some(support.name)
    );
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn every_setup_future_can_run_on_any_thread_as_tauri_commands_need() {
    let f = fixture_with(
        "http://127.0.0.1:9",
        "http://127.0.0.1:9/api/v1",
        ThrottleConfig::unlimited(),
    );
    let request = dev_request(free_port());
    let start = f.setup.start_consent(&request, &SilentBrowser);
    assert_send(&start);
    let pending = start.await.unwrap();
    pending.cancel();
    let finish = pending.finish();
    assert_send(&finish);
    drop(finish);
    assert_send(&f.setup.exchange_self_client_code(&request, "c"));
    assert_send(&f.setup.import_env(""));
    assert_send(&f.setup.disconnect());
    assert_send(&f.setup.choose_organization("1"));
    assert_send(&Sandbox::start(&f.data_dir));
}
