//! `deskctl login`, `status`, `orgs`, `departments`, `logout` against
//! desk-sim: exit codes and `--json` documents.

mod cli_common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use cli_common::{Rig, ticket_args};
use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, RegisteredClient};
use reqwest::redirect::Policy;

#[tokio::test(flavor = "multi_thread")]
async fn login_with_a_self_client_code_then_status_orgs_departments_and_logout() {
    let rig = Rig::new().await;

    let out = rig.run(&["--json", "status"]).await;
    out.expect(3);
    assert_eq!(out.json()["connected"], false);

    let out = rig.login().await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["ok"], true);
    let org = rig.sim.org_id();
    assert_eq!(json["connection"]["organization"]["id"], org.as_str());
    assert_eq!(
        json["connection"]["support"]["id"],
        rig.sim.department_id("Support").unwrap().as_str()
    );
    assert!(
        !out.stdout.contains(DEV_CLIENT_SECRET) && !out.stderr.contains(DEV_CLIENT_SECRET),
        "the client secret is never printed"
    );

    let out = rig.run(&["--json", "status"]).await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["connected"], true);
    assert_eq!(json["connection"], "saved");
    assert_eq!(json["secretStore"], "file");
    assert_eq!(json["status"]["orgId"], org.as_str());

    let text = rig.run(&["status"]).await;
    text.expect(0);
    assert!(
        text.stdout.contains("Connected to Zoho Desk"),
        "{}",
        text.stdout
    );

    let out = rig.run(&["--json", "orgs"]).await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["organizations"][0]["id"], org.as_str());
    assert_eq!(json["current"], org.as_str());

    let out = rig.run(&["--json", "departments"]).await;
    out.expect(0);
    let json = out.json();
    let names: Vec<&str> = json["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Support") && names.contains(&"Callbacks"),
        "{names:?}"
    );
    assert_eq!(
        json["callbacks"],
        rig.sim.department_id("Callbacks").unwrap().as_str()
    );

    let out = rig.run(&["--json", "logout"]).await;
    out.expect(0);
    assert_eq!(out.json()["revoke"]["kind"], "revoked");

    let out = rig.run(&["--json", "status"]).await;
    out.expect(3);
    // Nothing of the sign-in is left on disk.
    let secrets = std::fs::read_to_string(rig.data_dir().join("secrets.json")).unwrap_or_default();
    assert!(!secrets.contains("1000."), "{secrets}");
}

#[tokio::test(flavor = "multi_thread")]
async fn not_logged_in_means_exit_3_for_every_command_that_needs_desk() {
    let rig = Rig::new().await;
    for args in [
        ticket_args(&[]),
        vec![
            "--json",
            "callback",
            "--name",
            "Ada",
            "--phone",
            "+4915123456789",
            "--when",
            "tomorrow 2pm",
        ],
        vec!["--json", "departments"],
        vec!["--json", "orgs"],
        vec!["--json", "outbox", "flush"],
    ] {
        let out = rig.run(&args).await;
        out.expect(3);
        let json = out.json();
        assert_eq!(json["ok"], false);
        assert_eq!(json["kind"], "auth_required");
        assert!(
            json["message"].as_str().unwrap().contains("deskctl login"),
            "says what to do: {json}"
        );
    }
    assert!(rig.sim.tickets().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn login_refuses_a_malformed_client_or_code_with_exit_2() {
    let mut rig = Rig::new().await;
    let out = rig.run(&["--json", "login", "--code", "  "]).await;
    out.expect(2);
    rig.set("ZOHO_CLIENT_ID", "not-a-client-id");
    let out = rig.run(&["--json", "login", "--code", "1000.abc"]).await;
    out.expect(2);
    assert!(
        out.json()["message"]
            .as_str()
            .unwrap()
            .contains("client id")
    );
    rig.unset("ZOHO_CLIENT_ID");
    rig.unset("ZOHO_CLIENT_SECRET");
    let out = rig.run(&["--json", "login", "--code", "1000.abc"]).await;
    out.expect(2);
    assert!(
        out.json()["message"]
            .as_str()
            .unwrap()
            .contains("ZOHO_CLIENT_SECRET")
    );
}

/// `--no-browser`: the test reads the printed address, approves the
/// consent page in the sim (posting its form) and follows the redirect to
/// the loopback listener, as a browser on another machine would.
#[tokio::test(flavor = "multi_thread")]
async fn login_without_a_browser_prints_the_address_and_waits_for_the_redirect() {
    let rig = Rig::with(|c| c.consent = ConsentMode::Manual).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    rig.sim.register_client(RegisteredClient {
        client_id: DEV_CLIENT_ID.to_owned(),
        client_secret: DEV_CLIENT_SECRET.to_owned(),
        redirect_uris: vec![format!("http://localhost:{port}/callback")],
    });
    let port_text = port.to_string();
    let mut child = cli_common::command(
        &rig.vars,
        &["--json", "login", "--no-browser", "--port", &port_text],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let url = tokio::task::spawn_blocking(move || {
        loop {
            let line = rx
                .recv_timeout(std::time::Duration::from_secs(20))
                .expect("the consent address is printed");
            if line.starts_with("http") {
                return line;
            }
        }
    })
    .await
    .unwrap();
    assert!(url.starts_with(&rig.sim.base_url()), "{url}");

    let browser = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let page = browser.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the consent page");
    let page = page.text().await.unwrap();
    let marker = "name=\"consent_id\" value=\"";
    let start = page.find(marker).expect("a consent form") + marker.len();
    let id = &page[start..start + page[start..].find('"').unwrap()];
    let decide = url::Url::parse(&url)
        .unwrap()
        .join("/oauth/v2/auth/decide")
        .unwrap();
    let reply = browser
        .post(decide)
        .form(&[("consent_id", id), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 302);
    let location = reply.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("http://localhost:{port}/callback")));
    let landing = browser.get(&location).send().await.unwrap();
    assert!(landing.status().is_success(), "{}", landing.status());

    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        json["connection"]["organization"]["id"],
        rig.sim.org_id().as_str()
    );
    rig.run(&["status"]).await.expect(0);
}
