//! A whole chat through the engine, composed, queued and delivered to
//! desk-sim: one `POST /tickets` with the inline contact, the department,
//! channel Chat and the transcript; a callback with the Callbacks
//! department and the `dueDate` asked for; the engine told the number.

mod outbox_common;

use chat_engine::{Action, Event, Now, QuickReplyId as Q, Region, State, step};
use chrono::{TimeZone, Utc};
use desk_sim::SimConfig;
use helpdesk::compose::{ClientRef, compose_callback, compose_ticket};
use helpdesk::outbox::ItemState;
use outbox_common::*;

struct Chat {
    state: State,
    now: Now,
    last: Vec<Action>,
}

impl Chat {
    fn send(&mut self, event: Event) {
        let (next, actions) = step(std::mem::take(&mut self.state), event, self.now);
        self.state = next;
        self.last = actions;
    }
    fn say(&mut self, text: &str) {
        self.send(Event::UserSaid(text.into()));
    }
    fn press(&mut self, id: Q) {
        self.send(Event::QuickReplyChosen(id));
    }
    fn replies(&self) -> String {
        self.last
            .iter()
            .filter_map(|a| match a {
                Action::Reply { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[tokio::test]
async fn a_whole_chat_files_one_ticket_and_one_callback() {
    let rig = Rig::new(SimConfig::default()).await;
    let mut chat = Chat {
        state: State::default(),
        now: Now::new(
            Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            chrono_tz::Europe::Berlin,
            Region::DE,
        ),
        last: vec![],
    };
    chat.send(Event::Started);
    chat.press(Q::CreateTicket);
    chat.say("Ann Lee");
    chat.say("ann@example.com");
    chat.say("030 1234 5678");
    chat.say("My invoice is <wrong> & late. It lists 5 seats 🙃.");
    chat.send(Event::ArticlesFound(vec![]));
    chat.press(Q::Submit);
    let draft = chat
        .last
        .iter()
        .find_map(|a| match a {
            Action::CreateTicket(d) => Some(d.clone()),
            _ => None,
        })
        .expect("CreateTicket");

    let item = rig
        .outbox
        .enqueue(&compose_ticket(&draft, &rig.config, ClientRef::generate()))
        .unwrap();
    rig.deliverer.drain(10).await.unwrap();
    let item = rig.outbox.get(item.id).unwrap();
    assert_eq!(item.state, ItemState::Delivered);

    let requests = rig.sim.requests();
    assert_eq!(requests.len(), 1, "one request per chat ticket");
    let body = requests[0].body.clone().unwrap();
    assert_eq!(body["subject"], "My invoice is <wrong> & late.");
    assert_eq!(
        body["departmentId"],
        rig.sim.department_id("Support").unwrap()
    );
    assert_eq!(body["channel"], "Chat");
    assert_eq!(body["contact"]["email"], "ann@example.com");
    assert_eq!(body["contact"]["firstName"], "Ann");
    assert_eq!(body["contact"]["lastName"], "Lee");
    assert_eq!(body["contact"]["phone"], "+493012345678");
    let description = body["description"].as_str().unwrap();
    assert!(description.contains("My invoice is &lt;wrong&gt; &amp; late. It lists 5 seats 🙃."));
    assert!(
        description.contains("What&#39;s your name?"),
        "the transcript: {description}"
    );

    chat.send(Event::TicketCreated {
        number: item.ticket_number.clone().unwrap(),
        id: item.ticket_id.clone().unwrap(),
    });
    assert!(
        chat.replies()
            .contains(&format!("#{}", item.ticket_number.unwrap()))
    );

    chat.press(Q::ScheduleCallback);
    chat.say("tomorrow at 2 PM");
    chat.press(Q::Confirm);
    chat.say("no");
    chat.press(Q::Confirm);
    let callback = chat
        .last
        .iter()
        .find_map(|a| match a {
            Action::ScheduleCallback(d) => Some(d.clone()),
            _ => None,
        })
        .expect("ScheduleCallback");
    let item = rig
        .outbox
        .enqueue(&compose_callback(
            &callback,
            &rig.config,
            ClientRef::generate(),
        ))
        .unwrap();
    rig.deliverer.drain(10).await.unwrap();
    assert_eq!(rig.outbox.get(item.id).unwrap().state, ItemState::Delivered);
    let requests = rig.sim.requests();
    assert_eq!(requests.len(), 2);
    let body = requests[1].body.clone().unwrap();
    assert_eq!(
        body["departmentId"],
        rig.sim.department_id("Callbacks").unwrap()
    );
    assert_eq!(body["dueDate"], "2026-12-01T13:00:00.000Z");
    assert_eq!(
        body["subject"],
        "Callback requested: Tue 1 Dec 2026 14:00 CET - Ann Lee"
    );
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("Tuesday 1 December 2026, 14:00 (Europe/Berlin)")
    );
}
