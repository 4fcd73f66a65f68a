//! Opening the outbox only to look at it, from a second process (`deskctl
//! history`, `outbox list`, `status`) while the app may be delivering: an
//! item found `sending` may be the app's own, in flight, so it is left as
//! it is. Such a handle never takes the delivery lock, so it can neither
//! recover nor claim anything.

use std::path::Path;

use rusqlite::Connection;

use super::{Outbox, Result, lock};

impl Outbox {
    /// Opens (creating or migrating) the outbox at `path` to look at it:
    /// it never takes the delivery lock, never recovers, never claims.
    pub fn open_to_read(path: impl AsRef<Path>) -> Result<Self> {
        Self::init(Connection::open(path)?, lock::Mode::ReadOnly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::{ClientRef, ComposeConfig, ItemKind, ManualTicket, compose_manual};
    use crate::outbox::ItemState;
    use zoho_desk::{DepartmentId, Priority};

    #[test]
    fn looking_does_not_take_an_item_in_flight_for_an_interrupted_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.sqlite");
        let app = Outbox::open(&path).unwrap();
        let ticket = ManualTicket {
            kind: ItemKind::Ticket,
            subject: "Printer".into(),
            description: "On fire".into(),
            department: DepartmentId::new("1"),
            priority: Priority::Medium,
            status: "Open".into(),
            channel: "Chat".into(),
            due_date: None,
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: None,
            phone: None,
        };
        let config = ComposeConfig::new(DepartmentId::new("1"), DepartmentId::new("2"));
        app.enqueue(&compose_manual(&ticket, &config, ClientRef::generate()))
            .unwrap();
        let claimed = app.claim_due(1).unwrap();
        assert_eq!(claimed.len(), 1);

        let observer = Outbox::open_to_read(&path).unwrap();
        assert_eq!(observer.recovered(), 0);
        assert_eq!(
            observer.get(claimed[0].id).unwrap().state,
            ItemState::Sending
        );
    }
}
