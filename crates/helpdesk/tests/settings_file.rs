//! The settings file: defaults, a flat JSON object as tauri-plugin-store
//! keeps it, unknown keys kept, atomic writes, damage reported.

use helpdesk::settings::{
    DEFAULT_PRIORITY, DEFAULT_REDIRECT_PORT, DataDir, SecretStoreConsent, Settings, SettingsError,
    SettingsFile,
};
use serde_json::{Value, json};

#[test]
fn a_missing_file_means_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let settings = SettingsFile::new(&DataDir::new(dir.path())).load().unwrap();
    assert_eq!(settings, Settings::default());
    assert_eq!(settings.redirect_port, DEFAULT_REDIRECT_PORT);
    assert_eq!(settings.redirect_port, 8000);
    assert_eq!(settings.default_priority, DEFAULT_PRIORITY);
    assert_eq!(settings.default_priority, "Medium");
    assert_eq!(settings.secret_store_consent, SecretStoreConsent::NotAsked);
    assert!(!settings.sandbox);
}

#[test]
fn settings_round_trip_and_keep_keys_this_version_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::new(&DataDir::new(dir.path()));
    // As the app's store (or a newer version) may have left it.
    std::fs::write(
        file.path(),
        serde_json::to_vec(&json!({
            "orgId": "60028937162",
            "redirectPort": 8123,
            "theme": "dark",
            "window": {"width": 800, "height": 600},
            "recentDrafts": [1, 2, 3]
        }))
        .unwrap(),
    )
    .unwrap();
    let mut settings = file.load().unwrap();
    assert_eq!(settings.org_id.as_deref(), Some("60028937162"));
    assert_eq!(settings.redirect_port, 8123);
    settings.set_data_centre("in").unwrap();
    settings.org_name = Some("Zylker".to_owned());
    settings.support_department_id = Some("1329983000000006907".to_owned());
    settings.callbacks_department_name = Some("Callbacks".to_owned());
    settings.client_reference_field = Some("cf_client_ref".to_owned());
    settings.sandbox = true;
    settings.secret_store_consent = SecretStoreConsent::FileAllowed;
    file.save(&settings).unwrap();

    let again = file.load().unwrap();
    assert_eq!(again, settings);
    let raw: Value = serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap();
    let object = raw.as_object().expect("a flat JSON object");
    assert_eq!(object["theme"], "dark");
    assert_eq!(object["window"], json!({"width": 800, "height": 600}));
    assert_eq!(object["recentDrafts"], json!([1, 2, 3]));
    assert_eq!(object["dataCentre"], "in");
    assert_eq!(object["orgName"], "Zylker");
    assert_eq!(object["secretStoreConsent"], "file-allowed");
    assert_eq!(object["defaultPriority"], "Medium");
    assert!(
        !object.contains_key("accountsUrl"),
        "unset values are omitted"
    );
}

#[test]
fn update_writes_atomically_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(dir.path().join("nested"));
    let file = SettingsFile::new(&data_dir);
    let saved = file.update(|s| s.org_id = Some("1".to_owned())).unwrap();
    assert_eq!(file.load().unwrap(), saved);
    file.update(|s| s.org_id = Some("2".to_owned())).unwrap();
    let names: Vec<_> = std::fs::read_dir(data_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["settings.json".to_owned()]);
}

#[test]
fn a_damaged_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::at(dir.path().join("settings.json"));
    for damaged in ["{\"orgId\": ", "[1, 2]", "{\"redirectPort\": \"eighty\"}"] {
        std::fs::write(file.path(), damaged).unwrap();
        let err = file.load().unwrap_err();
        assert!(
            matches!(err, SettingsError::Corrupt { .. }),
            "{damaged}: {err:?}"
        );
        assert!(err.to_string().contains("fix or delete it"));
        assert!(file.update(|s| s.sandbox = true).is_err());
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), damaged);
    }
}

#[test]
fn overrides_in_settings_must_be_https_or_loopback() {
    let mut settings = Settings {
        desk_api_url: Some("http://desk.example/api/v1".to_owned()),
        ..Settings::default()
    };
    assert!(matches!(
        settings.endpoints(),
        Err(SettingsError::BadOverride { .. })
    ));
    settings.desk_api_url = Some("http://[::1]:9000/api/v1".to_owned());
    assert_eq!(
        settings.endpoints().unwrap().desk_api.as_str(),
        "http://[::1]:9000/api/v1"
    );
}

#[test]
fn debug_output_of_settings_does_not_print_unknown_values() {
    let mut settings = Settings::default();
    settings
        .other
        .insert("legacyToken".to_owned(), json!("1000.should.not.show"));
    let shown = format!("{settings:?}");
    assert!(!shown.contains("1000.should.not.show"), "{shown}");
    assert!(shown.contains("other_keys: 1"));
}

#[test]
fn nulls_written_by_the_store_mean_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::at(dir.path().join("settings.json"));
    std::fs::write(
        file.path(),
        r#"{"redirectPort": null, "defaultPriority": null, "sandbox": null, "orgId": null, "secretStoreConsent": null}"#,
    )
    .unwrap();
    assert_eq!(file.load().unwrap(), Settings::default());
}
