//! The app shell: navigation, the status area, and a command answered by Rust.

use e2e::{AppOptions, run};

#[tokio::test]
async fn navigation_renders_and_switches_views() {
    run(
        "navigation_renders_and_switches_views",
        AppOptions::default(),
        |app| async move {
            for id in ["nav-chat", "nav-new-ticket", "nav-setup"] {
                app.find(id).await?;
            }
            app.click("nav-setup").await?;
            let current = app.find("nav-setup").await?.attr("aria-current").await?;
            assert_eq!(current.as_deref(), Some("page"));
            app.click("nav-chat").await?;
            let current = app.find("nav-chat").await?.attr("aria-current").await?;
            assert_eq!(current.as_deref(), Some("page"));
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn status_area_says_not_connected() {
    run(
        "status_area_says_not_connected",
        AppOptions::default(),
        |app| async move {
            let status = app
                .wait_for_text("connection-status", |t| t.contains("Not connected"))
                .await?;
            assert!(
                status.contains("Not connected: set up Zoho Desk"),
                "status was {status:?}"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn about_panel_shows_the_version_from_rust() {
    run(
        "about_panel_shows_the_version_from_rust",
        AppOptions::default(),
        |app| async move {
            app.click("nav-about").await?;
            let version = app
                .wait_for_text("about-version", |t| !t.is_empty())
                .await?;
            // The app's version comes from the workspace, as does this crate's.
            assert_eq!(version, env!("CARGO_PKG_VERSION"));
            assert!(
                app.log().contains("Desk Chat starting"),
                "the app logs to its log folder"
            );
            Ok(())
        },
    )
    .await;
}
