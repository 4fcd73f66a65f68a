//! The secret stores: the user-only file, the token store adapter, the
//! selection between keychain and file, and that no secret is ever shown.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use helpdesk::connect::ConnectError;
use helpdesk::secrets::{
    ActiveStore, FileStore, KeyringStore, MemoryStore, SecretName, SecretStore, SecretStoreError,
    SecretTokenStore, SecretValue, StoreKind, StoreSelection, accept_file_store, select_store_with,
};
use helpdesk::settings::{DataDir, SecretStoreConsent, Settings, SettingsFile};
use zoho_desk::{AccessToken, RefreshToken, StoredTokens, TokenStore};

const SECRET: &str = "0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";
const REFRESH: &str = "1000.refresh.aaaaaaaaaaaaaaaaaaaa";
const ACCESS: &str = "1000.access.bbbbbbbbbbbbbbbbbbbb";

fn failing_keychain() -> Result<Arc<dyn SecretStore>, SecretStoreError> {
    Err(SecretStoreError::KeychainUnavailable {
        reason: "no Secret Service on the session bus".to_owned(),
    })
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_secrets_file_is_readable_by_the_user_alone_from_its_creation() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path().join("app"));
    let store = FileStore::open(&data_dir).unwrap();
    store
        .set(SecretName::ClientSecret, &SecretValue::new(SECRET))
        .unwrap();
    assert_eq!(mode(store.path()), 0o600);
    assert_eq!(mode(data_dir.path()), 0o700);
    store
        .set(SecretName::RefreshToken, &SecretValue::new(REFRESH))
        .unwrap();
    assert_eq!(mode(store.path()), 0o600, "still 0600 after a rewrite");
    // Only the file itself: no temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(data_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["secrets.json".to_owned()]);
}

#[cfg(unix)]
#[test]
fn a_secrets_file_readable_by_others_is_narrowed_when_opened() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    std::fs::write(&path, "{}").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    FileStore::at(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn the_file_store_keeps_values_across_instances_and_deletes_them() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let store = FileStore::open(&data_dir).unwrap();
    assert!(store.get(SecretName::RefreshToken).unwrap().is_none());
    store
        .set(SecretName::RefreshToken, &SecretValue::new(REFRESH))
        .unwrap();
    let again = FileStore::open(&data_dir).unwrap();
    assert_eq!(
        again
            .get(SecretName::RefreshToken)
            .unwrap()
            .unwrap()
            .expose(),
        REFRESH
    );
    again.delete(SecretName::RefreshToken).unwrap();
    again.delete(SecretName::RefreshToken).unwrap();
    assert!(store.get(SecretName::RefreshToken).unwrap().is_none());
    assert_eq!(store.kind(), StoreKind::File);
}

#[test]
fn a_damaged_secrets_file_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secrets.json");
    std::fs::write(&path, "not json").unwrap();
    let store = FileStore::at(&path).unwrap();
    assert!(matches!(
        store.get(SecretName::AccessToken),
        Err(SecretStoreError::FileCorrupt { .. })
    ));
    assert!(
        store
            .set(SecretName::AccessToken, &SecretValue::new(ACCESS))
            .is_err()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not json");
}

#[test]
fn tokens_round_trip_through_any_secret_store_and_clear_keeps_the_client_secret() {
    let dir = tempfile::tempdir().unwrap();
    let stores: Vec<Arc<dyn SecretStore>> = vec![
        Arc::new(MemoryStore::new()),
        Arc::new(FileStore::open(&DataDir::new(dir.path())).unwrap()),
    ];
    for store in stores {
        store
            .set(SecretName::ClientSecret, &SecretValue::new(SECRET))
            .unwrap();
        let tokens = SecretTokenStore::new(store.clone());
        assert!(tokens.load().unwrap().is_none());
        let saved = StoredTokens {
            access_token: Some(AccessToken::new(ACCESS)),
            access_expires_at: Some(Utc.with_ymd_and_hms(2026, 6, 11, 16, 12, 11).unwrap()),
            refresh_token: Some(RefreshToken::new(REFRESH)),
        };
        tokens.save(&saved).unwrap();
        assert_eq!(tokens.load().unwrap(), Some(saved));
        // An access token alone (imported): no refresh token, no expiry.
        let alone = StoredTokens {
            access_token: Some(AccessToken::new(ACCESS)),
            ..StoredTokens::default()
        };
        tokens.save(&alone).unwrap();
        assert_eq!(tokens.load().unwrap(), Some(alone));
        tokens.clear().unwrap();
        assert!(tokens.load().unwrap().is_none());
        assert!(store.get(SecretName::ClientSecret).unwrap().is_some());
        store.wipe().unwrap();
        assert!(store.get(SecretName::ClientSecret).unwrap().is_none());
    }
}

#[test]
fn the_environment_selects_the_file_store_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let selection = select_store_with(&data_dir, &Settings::default(), Some("file"), || {
        panic!("the keychain must not be touched")
    })
    .unwrap();
    let StoreSelection::Ready(active) = selection else {
        panic!("{selection:?}")
    };
    assert_eq!(active.kind(), StoreKind::File);
    assert!(active.is_file_fallback());
}

#[test]
fn a_working_keychain_is_used_and_no_banner_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let keychain: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    let selection = select_store_with(
        &DataDir::new(dir.path()),
        &Settings::default(),
        None,
        || Ok(keychain.clone()),
    )
    .unwrap();
    let StoreSelection::Ready(active) = selection else {
        panic!("{selection:?}")
    };
    assert!(!active.is_file_fallback());
}

#[test]
fn without_a_keychain_the_file_is_used_only_after_the_user_agreed_and_that_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path());
    let settings_file = SettingsFile::new(&data_dir);

    let selection =
        select_store_with(&data_dir, &Settings::default(), None, failing_keychain).unwrap();
    let StoreSelection::NeedsConsent { keychain_error } = selection else {
        panic!("{selection:?}")
    };
    assert!(keychain_error.to_string().contains("keychain"));
    let connect_error = ConnectError::from(keychain_error);
    assert!(matches!(
        connect_error,
        ConnectError::KeychainUnavailable(_)
    ));
    assert!(
        connect_error
            .to_string()
            .contains("a file only you can read")
    );
    assert!(
        !data_dir.secrets_file().exists(),
        "nothing written before consent"
    );

    let active = accept_file_store(&data_dir, &settings_file).unwrap();
    assert!(active.is_file_fallback());
    let settings = settings_file.load().unwrap();
    assert_eq!(
        settings.secret_store_consent,
        SecretStoreConsent::FileAllowed
    );

    // Next start: the keychain still fails, the remembered answer is used.
    let selection = select_store_with(&data_dir, &settings, None, failing_keychain).unwrap();
    assert!(matches!(
        selection,
        StoreSelection::Ready(ref a) if a.is_file_fallback()
    ));
}

#[test]
fn a_keychain_timeout_is_reported_as_keychain_unavailable() {
    let err = ConnectError::from(SecretStoreError::KeychainTimeout {
        after: Duration::from_secs(3),
    });
    assert!(matches!(err, ConnectError::KeychainUnavailable(_)));
    assert!(err.to_string().contains("3 s"), "{err}");
}

#[test]
fn opening_the_keychain_answers_within_its_timeout_whatever_the_machine() {
    // On a desktop this self-tests the real keychain (a probe entry is
    // written and deleted); on CI there is usually none. Either way the
    // answer comes in time.
    let started = std::time::Instant::now();
    let outcome = KeyringStore::open_with("com.deskchat.desktop.test", Duration::from_secs(3));
    assert!(started.elapsed() < Duration::from_secs(5));
    match outcome {
        Ok(store) => assert_eq!(store.kind(), StoreKind::Keychain),
        Err(e) => assert!(
            matches!(
                e,
                SecretStoreError::KeychainUnavailable { .. }
                    | SecretStoreError::KeychainTimeout { .. }
            ),
            "{e:?}"
        ),
    }
}

#[test]
fn debug_output_of_stores_and_values_never_contains_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file: Arc<dyn SecretStore> = Arc::new(FileStore::open(&DataDir::new(dir.path())).unwrap());
    let memory: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    for store in [&file, &memory] {
        store
            .set(SecretName::ClientSecret, &SecretValue::new(SECRET))
            .unwrap();
        store
            .set(SecretName::RefreshToken, &SecretValue::new(REFRESH))
            .unwrap();
    }
    let shown = format!(
        "{file:?} {memory:?} {:?} {:?} {:?} {:?}",
        SecretTokenStore::new(file.clone()),
        ActiveStore::new(memory.clone()),
        memory.get(SecretName::RefreshToken).unwrap(),
        SecretTokenStore::new(memory.clone()).load().unwrap(),
    );
    for secret in [SECRET, REFRESH] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("[redacted]"));
}
