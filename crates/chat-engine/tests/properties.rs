//! Property tests: the time parser and the validators never panic, and what
//! they accept has the promised shape; the engine never panics on any
//! sequence of events.

use chat_engine::validate::{
    COMMON_EMAIL_DOMAINS, MAX_INPUT_CHARS, MIN_ISSUE_WORDS, limit_input, normalize_email,
    normalize_phone, parse_name, parse_ticket_number, suggest_email, validate_issue,
};
use chat_engine::{
    Article, Event, Now, QuickReplyId, Region, State, format_absolute, parse_when, step,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// Zones with the awkward cases: DST both ways, half- and quarter-hour
/// offsets, a 30-minute DST shift (Lord Howe), the southern hemisphere.
const ZONES: &[Tz] = &[
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Australia::Sydney,
    chrono_tz::Pacific::Chatham,
    chrono_tz::UTC,
];

/// Any instant from 2020 to 2035, to the second, in one of [`ZONES`].
fn any_now() -> impl Strategy<Value = DateTime<Tz>> {
    let start = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    let end = Utc
        .with_ymd_and_hms(2035, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    (start..end, prop::sample::select(ZONES))
        .prop_map(|(secs, tz)| Utc.timestamp_opt(secs, 0).unwrap().with_timezone(&tz))
}

/// Words the parser knows, shuffled into phrases, so that its paths (not
/// just its "unrecognised" exit) are exercised.
fn time_words() -> impl Strategy<Value = String> {
    let words = vec![
        "tomorrow",
        "today",
        "tonight",
        "next",
        "this",
        "monday",
        "friday",
        "sun",
        "at",
        "on",
        "in",
        "the",
        "day",
        "after",
        "2",
        "14",
        "0",
        "12",
        "14:00",
        "9:30",
        "2:30",
        "02:30",
        "2pm",
        "12am",
        "10am",
        "pm",
        "am",
        "noon",
        "midnight",
        "morning",
        "afternoon",
        "evening",
        "night",
        "3",
        "31",
        "dec",
        "december",
        "feb",
        "29",
        "2026",
        "2027",
        "2026-12-03",
        "2027-03-28",
        "2027-10-31",
        "hours",
        "minutes",
        "min",
        "90",
        "30",
        "an",
        "a",
        "couple",
        "of",
        "hour",
        "half",
        "from",
        "now",
        "3rd",
        "1st",
        "+01:00",
        "-05:00",
        "25/12",
        "03/12",
        "12/25/2026",
        "week",
        "weeks",
        "days",
        "2h",
        "45min",
        "asap",
        "o'clock",
        "p.m.",
        ",",
        "please",
        "around",
    ];
    prop::collection::vec(prop::sample::select(words), 1..7).prop_map(|w| w.join(" "))
}

/// Well-formed phrases: an optional day and a time, or an amount from now.
fn time_phrases() -> impl Strategy<Value = String> {
    let day = prop::sample::select(vec![
        "",
        "today",
        "tonight",
        "tomorrow",
        "the day after tomorrow",
        "monday",
        "next monday",
        "this friday",
        "sat",
        "3 dec",
        "dec 24th",
        "1st of january",
        "29 feb",
        "2027-03-28",
        "2027-10-31",
        "2026-12-03",
        "25/12",
        "in 3 days",
        "in 2 weeks",
    ]);
    let time = prop::sample::select(vec![
        "at 2 pm",
        "2pm",
        "10am",
        "12am",
        "12pm",
        "14:00",
        "9:30",
        "02:30",
        "2:30 pm",
        "noon",
        "midnight",
        "morning",
        "afternoon",
        "evening",
        "at 3 in the afternoon",
        "23:59",
        "00:00",
        "at 14",
    ]);
    let relative = prop::sample::select(vec![
        "in 2 hours",
        "in 30 minutes",
        "in an hour",
        "in half an hour",
        "90 min from now",
        "in 1 minute",
        "in 45min",
        "in a couple of hours",
    ]);
    prop_oneof![
        3 => (day, time).prop_map(|(d, t)| format!("{d} {t}")),
        1 => relative.prop_map(str::to_string),
    ]
}

fn region() -> impl Strategy<Value = Region> {
    prop::sample::select(vec![
        Region::DE,
        Region::US,
        Region::GB,
        Region::FR,
        Region::IN,
        Region::JP,
    ])
}

// ---------------------------------------------------------------------------
// Time parser
// ---------------------------------------------------------------------------

fn check_accepted(text: &str, now: DateTime<Tz>) -> Result<(), TestCaseError> {
    if let Ok(found) = parse_when(text, now) {
        prop_assert!(
            found > now,
            "{text:?} at {now}: {found} is not in the future"
        );
        prop_assert!(
            found <= now + Duration::days(366),
            "{text:?}: {found} too far"
        );
        prop_assert_eq!(found.second(), 0, "{} is not a whole minute", found);
        prop_assert_eq!(found.timezone(), now.timezone());
        let written = format_absolute(&found);
        let again = parse_when(&written, now);
        prop_assert_eq!(
            again.map(|t| t.to_utc()),
            Ok(found.to_utc()),
            "{:?} -> {} -> {:?} did not round-trip",
            text,
            found,
            written
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_time_parser_never_panics_on_any_text(text in any::<String>(), now in any_now()) {
        let _ = parse_when(&text, now);
    }

    #[test]
    fn accepted_times_from_any_text_are_future_whole_minutes_that_round_trip(
        text in "\\PC{0,40}",
        now in any_now(),
    ) {
        check_accepted(&text, now)?;
    }

    #[test]
    fn accepted_times_from_time_words_are_future_whole_minutes_that_round_trip(
        text in time_words(),
        now in any_now(),
    ) {
        check_accepted(&text, now)?;
    }

    #[test]
    fn accepted_times_from_well_formed_phrases_are_future_whole_minutes_that_round_trip(
        text in time_phrases(),
        now in any_now(),
    ) {
        check_accepted(&text, now)?;
    }

    #[test]
    fn every_future_absolute_time_within_a_year_is_accepted_and_round_trips(
        now in any_now(),
        minutes_ahead in 1i64..(365 * 24 * 60),
    ) {
        // A wall-clock time some minutes ahead, written "YYYY-MM-DD HH:MM".
        let local = (now + Duration::minutes(minutes_ahead)).naive_local();
        let local = local.with_second(0).unwrap().with_nanosecond(0).unwrap();
        let text = local.format("%Y-%m-%d %H:%M").to_string();
        match parse_when(&text, now) {
            Ok(found) => {
                prop_assert_eq!(found.naive_local(), local);
                check_accepted(&text, now)?;
            }
            // Only a time that is not after `now` once cut to the minute, or
            // (after a clock change) past already, may be refused.
            Err(e) => prop_assert!(
                matches!(e, chat_engine::WhenError::InPast { .. }),
                "{text} at {now}: {e:?}"
            ),
        }
    }

    #[test]
    fn in_n_minutes_is_now_plus_n_cut_to_the_minute(now in any_now(), n in 1i64..600_000) {
        let found = parse_when(&format!("in {n} minutes"), now);
        let expected = now.to_utc() + Duration::minutes(n);
        let expected = expected.with_second(0).unwrap().with_nanosecond(0).unwrap();
        if n <= 366 * 24 * 60 {
            prop_assert_eq!(found.map(|t| t.to_utc()), Ok(expected));
        } else {
            prop_assert!(found.is_err());
        }
    }
}

// ---------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn email_never_panics_and_accepted_ones_normalise_idempotently(text in any::<String>()) {
        if let Ok(email) = normalize_email(&text) {
            prop_assert_eq!(normalize_email(&email), Ok(email.clone()));
            prop_assert!(!email.chars().any(char::is_whitespace));
        }
        let _ = suggest_email(&text);
    }

    #[test]
    fn email_shaped_text_normalises_idempotently_and_suggestions_are_valid(
        text in "[ ]{0,2}(mailto:)?[a-zA-Z0-9._%+-]{1,16}@[a-zA-Z0-9-]{1,12}(\\.[a-zA-Z]{2,4}){1,2}[.]?[ ]{0,2}",
    ) {
        if let Ok(email) = normalize_email(&text) {
            prop_assert_eq!(normalize_email(&email), Ok(email.clone()));
            let domain = email.rsplit_once('@').unwrap().1;
            prop_assert_eq!(domain, domain.to_lowercase());
            if let Some(suggested) = suggest_email(&email) {
                prop_assert_eq!(normalize_email(&suggested), Ok(suggested.clone()));
                let suggested_domain = suggested.rsplit_once('@').unwrap().1;
                prop_assert!(COMMON_EMAIL_DOMAINS.contains(&suggested_domain));
                prop_assert_eq!(suggest_email(&suggested), None);
            }
        }
    }

    #[test]
    fn phone_never_panics_on_any_text(text in any::<String>(), region in region()) {
        let _ = normalize_phone(&text, region);
    }

    #[test]
    fn accepted_phones_are_e164_and_reparse_to_themselves(
        text in "[+]?[0-9 ()./-]{4,22}",
        region in region(),
        other in region(),
    ) {
        if let Ok(e164) = normalize_phone(&text, region) {
            prop_assert!(e164.starts_with('+'));
            let digits = &e164[1..];
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!((7..=15).contains(&digits.len()), "{}", e164);
            prop_assert_eq!(normalize_phone(&e164, region), Ok(e164.clone()));
            // E.164 carries its country: any default region reads it the same.
            prop_assert_eq!(normalize_phone(&e164, other), Ok(e164.clone()));
        }
    }

    #[test]
    fn phone_shaped_numbers_are_e164_and_reparse_to_themselves(
        text in "(\\+[1-9][0-9]{7,13})|(0[1-9][0-9]{6,10})|([2-9][0-9]{2} [2-9][0-9]{2} [0-9]{4})",
        region in region(),
        other in region(),
    ) {
        if let Ok(e164) = normalize_phone(&text, region) {
            prop_assert!(e164.starts_with('+'));
            prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(normalize_phone(&e164, region), Ok(e164.clone()));
            prop_assert_eq!(normalize_phone(&e164, other), Ok(e164.clone()));
        }
    }

    #[test]
    fn names_never_panic_and_accepted_ones_split_and_reparse(text in any::<String>()) {
        if let Ok(name) = parse_name(&text) {
            prop_assert!(!name.last_name.is_empty());
            prop_assert!(!name.last_name.contains(' '));
            prop_assert!(!name.full().chars().any(char::is_numeric));
            prop_assert_eq!(parse_name(&name.full()), Ok(name.clone()));
        }
    }

    #[test]
    fn word_like_names_are_accepted_and_reparse(text in "(\\p{L}{1,10} ){0,3}\\p{L}{1,10}") {
        let name = parse_name(&text);
        if let Ok(name) = &name {
            prop_assert_eq!(parse_name(&name.full()), Ok(name.clone()));
        }
    }

    #[test]
    fn issues_never_panic_and_accepted_ones_are_stable(text in any::<String>()) {
        if let Ok(issue) = validate_issue(&text) {
            prop_assert!(issue.unicode_words().count() >= MIN_ISSUE_WORDS);
            prop_assert_eq!(validate_issue(&issue), Ok(issue.clone()));
        }
    }

    #[test]
    fn ticket_numbers_never_panic_and_are_digits(text in any::<String>()) {
        if let Ok(number) = parse_ticket_number(&text) {
            prop_assert!(!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(parse_ticket_number(&format!("#{number}")), Ok(number.clone()));
        }
    }

    #[test]
    fn long_input_is_cut_between_graphemes_within_the_limit(
        pieces in prop::collection::vec(
            prop::sample::select(vec!["a", "é", "e\u{301}", "👩🏽‍💻", "🇩🇪", "ש", "ال", " ", "\n", "字"]),
            1000..2600,
        )
    ) {
        let text: String = pieces.concat();
        let (kept, cut) = limit_input(&text);
        prop_assert!(text.starts_with(&kept));
        prop_assert!(kept.chars().count() <= MAX_INPUT_CHARS);
        prop_assert_eq!(cut, kept.len() < text.len());
        prop_assert_eq!(cut, text.chars().count() > MAX_INPUT_CHARS);
        // Cut on a grapheme boundary: the kept graphemes are a prefix of the text's.
        let kept_g: Vec<&str> = kept.graphemes(true).collect();
        let text_g: Vec<&str> = text.graphemes(true).take(kept_g.len()).collect();
        prop_assert_eq!(kept_g, text_g);
    }
}

// ---------------------------------------------------------------------------
// The engine as a whole
// ---------------------------------------------------------------------------

fn any_event() -> impl Strategy<Value = Event> {
    let texts = prop::sample::select(vec![
        "Ann Lee",
        "ann@gmial.com",
        "ann@example.com",
        "030 12345678",
        "+1 201 555 0123",
        "my invoice is wrong",
        "call me back tomorrow at 2pm",
        "status of ticket 123",
        "123",
        "tomorrow",
        "in 2 hours",
        "yes",
        "no",
        "cancel",
        "skip",
        "hello",
        "",
        "2",
    ])
    .prop_map(|t| Event::UserSaid(t.to_string()));
    let buttons = prop::sample::select(vec![
        QuickReplyId::CreateTicket,
        QuickReplyId::ScheduleCallback,
        QuickReplyId::CheckTicket,
        QuickReplyId::Yes,
        QuickReplyId::No,
        QuickReplyId::Solved,
        QuickReplyId::StillNeedHelp,
        QuickReplyId::Submit,
        QuickReplyId::Edit,
        QuickReplyId::Cancel,
        QuickReplyId::EditName,
        QuickReplyId::EditEmail,
        QuickReplyId::EditPhone,
        QuickReplyId::EditIssue,
        QuickReplyId::EditTime,
        QuickReplyId::EditNote,
        QuickReplyId::Confirm,
        QuickReplyId::Change,
        QuickReplyId::Skip,
    ])
    .prop_map(Event::QuickReplyChosen);
    let system = prop::sample::select(vec![
        Event::Started,
        Event::Restarted,
        Event::ArticlesFound(vec![Article {
            id: "1".into(),
            title: "T".into(),
            url: "https://x.example/1".into(),
        }]),
        Event::ArticlesFound(vec![]),
        Event::ArticleSearchFailed,
        Event::SendQueued,
        Event::TicketCreated {
            number: "1".into(),
            id: "1".into(),
        },
        Event::CallbackCreated {
            number: "2".into(),
            id: "2".into(),
        },
        Event::SendFailed {
            reason: "no".into(),
            permanent: true,
            field_errors: vec![],
        },
        Event::SendFailed {
            reason: "later".into(),
            permanent: false,
            field_errors: vec![],
        },
        Event::TicketStatusFound {
            number: "123".into(),
            status: "Open".into(),
            email_matches: true,
        },
        Event::TicketNotFound,
        Event::StatusLookupFailed,
    ]);
    prop_oneof![3 => texts, 3 => buttons, 2 => system, 1 => any::<String>().prop_map(Event::UserSaid)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_never_panics_and_its_state_always_persists(
        events in prop::collection::vec(any_event(), 1..25),
    ) {
        let now = Now::new(
            Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            chrono_tz::Europe::Berlin,
            Region::DE,
        );
        let mut state = State::default();
        for event in events {
            let (next, actions) = step(state, event, now);
            let json = serde_json::to_string(&next).unwrap();
            prop_assert_eq!(serde_json::from_str::<State>(&json).unwrap(), next.clone());
            for action in &actions {
                if let chat_engine::Action::Reply { text, .. } = action {
                    prop_assert!(!text.is_empty());
                    prop_assert!(!text.contains('<'), "no markup in replies: {}", text);
                }
            }
            state = next;
        }
    }
}

#[test]
fn the_fixed_now_dates_are_what_the_tables_assume() {
    // 30 November 2026 is a Monday, 1 December a Tuesday.
    let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert_eq!(monday.format("%A").to_string(), "Monday");
}
