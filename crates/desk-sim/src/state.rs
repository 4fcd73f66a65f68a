//! The simulator's state: what Desk and Accounts hold (`Data`, saved to the
//! state file when there is one), the switches that can change while running
//! (`Settings`), and the transient parts (codes, faults, the request log).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::accounts::grants::{AccessToken, Grant, PendingCode, PendingConsent};
use crate::clock;
use crate::config::{ConsentMode, RegisteredClient, SimConfig};
use crate::desk::attachments::StoredAttachment;
use crate::desk::comments::StoredComment;
use crate::desk::contacts::Contact;
use crate::desk::departments::Department;
use crate::desk::organizations::Organization;
use crate::desk::tickets::Ticket;
use crate::faults::{Faults, lock};
use crate::log::RequestLog;
use crate::persist;

/// The switches of [`SimConfig`] that apply while running.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub access_token_ttl: Duration,
    pub code_ttl: Duration,
    pub consent: ConsentMode,
    pub concurrency_limit: Option<usize>,
    pub retry_after_on_concurrency: Option<u64>,
    pub refresh_limit_per_10_min: u32,
    pub daily_credits: u64,
    pub attachment_max_bytes: usize,
    pub org_id_as_number: bool,
    pub location: String,
    pub scope_mismatch_status: u16,
    pub contact_search_delay: Duration,
}

impl From<&SimConfig> for Settings {
    fn from(c: &SimConfig) -> Self {
        Self {
            access_token_ttl: c.access_token_ttl,
            code_ttl: c.code_ttl,
            consent: c.consent,
            concurrency_limit: c.concurrency_limit,
            retry_after_on_concurrency: c.retry_after_on_concurrency,
            refresh_limit_per_10_min: c.refresh_limit_per_10_min,
            daily_credits: c.daily_credits,
            attachment_max_bytes: c.attachment_max_bytes,
            org_id_as_number: c.org_id_as_number,
            location: c.location.clone(),
            scope_mismatch_status: c.scope_mismatch_status,
            contact_search_delay: c.contact_search_delay,
        }
    }
}

/// API credits used on one UTC day.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Credits {
    pub day: String,
    pub used: u64,
}

/// Everything Zoho would remember: kept across restarts when a state file is set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Data {
    pub organization: Organization,
    pub departments: Vec<Department>,
    pub contacts: Vec<Contact>,
    pub tickets: Vec<Ticket>,
    pub comments: Vec<StoredComment>,
    pub attachments: Vec<StoredAttachment>,
    pub clients: Vec<RegisteredClient>,
    pub grants: Vec<Grant>,
    pub access_tokens: Vec<AccessToken>,
    /// The next object id; ids are 19-digit decimals like Zoho's.
    pub next_id: u64,
    pub next_ticket_number: u64,
    pub credits: Credits,
}

/// First id handed out: the realistic `1329983000000006907`.
const FIRST_ID: u64 = 1_329_983_000_000_006_907;
/// Ids grow by this step, so that consecutive ids differ the way Zoho's do.
const ID_STEP: u64 = 1000;
/// The first ticket number.
const FIRST_TICKET_NUMBER: u64 = 101;

impl Data {
    fn seeded(config: &SimConfig) -> Self {
        let mut data = Self {
            organization: Organization::seeded(),
            departments: Vec::new(),
            contacts: Vec::new(),
            tickets: Vec::new(),
            comments: Vec::new(),
            attachments: Vec::new(),
            clients: Vec::new(),
            grants: Vec::new(),
            access_tokens: Vec::new(),
            next_id: FIRST_ID,
            next_ticket_number: FIRST_TICKET_NUMBER,
            credits: Credits::default(),
        };
        let support = data.new_id();
        data.departments
            .push(Department::seeded(support, "Support", true));
        if config.seed_callbacks_department {
            let callbacks = data.new_id();
            data.departments
                .push(Department::seeded(callbacks, "Callbacks", false));
        }
        data
    }

    /// A fresh object id, as a decimal string.
    pub(crate) fn new_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += ID_STEP;
        id.to_string()
    }

    pub(crate) fn new_ticket_number(&mut self) -> String {
        let n = self.next_ticket_number;
        self.next_ticket_number += 1;
        n.to_string()
    }

    pub(crate) fn upsert_client(&mut self, client: RegisteredClient) {
        self.clients.retain(|c| c.client_id != client.client_id);
        self.clients.push(client);
    }
}

/// The shared state behind every handler.
#[derive(Debug)]
pub(crate) struct App {
    /// `http://127.0.0.1:PORT`: the accounts server and the Desk host at once.
    pub base_url: String,
    pub settings: Mutex<Settings>,
    data: Mutex<Data>,
    pub codes: Mutex<HashMap<String, PendingCode>>,
    pub consents: Mutex<HashMap<String, PendingConsent>>,
    pub faults: Faults,
    pub log: RequestLog,
    pub in_flight: AtomicUsize,
    pub refresh_count: AtomicUsize,
    state_file: Option<PathBuf>,
}

impl App {
    /// Loads the state file when there is one, else seeds a fresh organization.
    pub(crate) fn new(config: &SimConfig, base_url: String) -> std::io::Result<Self> {
        let loaded = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let mut data = loaded.unwrap_or_else(|| Data::seeded(config));
        for client in &config.clients {
            data.upsert_client(client.clone());
        }
        let app = Self {
            base_url,
            settings: Mutex::new(Settings::from(config)),
            data: Mutex::new(data),
            codes: Mutex::default(),
            consents: Mutex::default(),
            faults: Faults::default(),
            log: RequestLog::default(),
            in_flight: AtomicUsize::new(0),
            refresh_count: AtomicUsize::new(0),
            state_file: config.state_file.clone(),
        };
        app.save(&lock(&app.data))?;
        Ok(app)
    }

    pub(crate) fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Reads the data.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&Data) -> R) -> R {
        f(&lock(&self.data))
    }

    /// Changes the data, then saves it to the state file (if any) before the
    /// reply goes out: a sandbox restarted right after a reply still has it.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut Data) -> R) -> R {
        let mut data = lock(&self.data);
        let out = f(&mut data);
        if let Err(e) = self.save(&data) {
            tracing::error!(error = %e, "could not save the state file");
        }
        out
    }

    fn save(&self, data: &Data) -> std::io::Result<()> {
        match &self.state_file {
            Some(path) => persist::save(path, data),
            None => Ok(()),
        }
    }

    /// Takes a Desk concurrency slot, or `None` when the limit is reached.
    pub(crate) fn enter(self: &std::sync::Arc<Self>) -> Option<InFlight> {
        let limit = self.settings().concurrency_limit.unwrap_or(usize::MAX);
        let mut current = self.in_flight.load(Ordering::SeqCst);
        loop {
            if current >= limit {
                return None;
            }
            match self.in_flight.compare_exchange(
                current,
                current + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return Some(InFlight(self.clone())),
                Err(now) => current = now,
            }
        }
    }

    /// Credits left today.
    pub(crate) fn credits_remaining(&self) -> u64 {
        let budget = self.settings().daily_credits;
        self.read(|d| {
            if d.credits.day == clock::utc_day() {
                budget.saturating_sub(d.credits.used)
            } else {
                budget
            }
        })
    }

    /// Spends `weight` credits; `Err(remaining)` when fewer are left.
    pub(crate) fn spend_credits(&self, weight: u64) -> Result<u64, u64> {
        let budget = self.settings().daily_credits;
        self.write(|d| {
            let today = clock::utc_day();
            if d.credits.day != today {
                d.credits = Credits {
                    day: today,
                    used: 0,
                };
            }
            let remaining = budget.saturating_sub(d.credits.used);
            if remaining < weight {
                return Err(remaining);
            }
            d.credits.used += weight;
            Ok(remaining - weight)
        })
    }
}

/// A Desk call in flight; the slot is released on drop (also when the
/// connection is dropped by a fault).
#[derive(Debug)]
pub(crate) struct InFlight(std::sync::Arc<App>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
