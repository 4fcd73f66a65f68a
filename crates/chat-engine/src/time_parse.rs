//! Reading a preferred callback time written in plain words.
//!
//! [`parse_when`] turns what a person typed ("tomorrow at 2 PM", "Friday
//! morning", "in 2 hours") into an instant in their own time zone, or says in
//! plain words why it could not ([`WhenError`], whose `Display` is the reason
//! shown in the chat). It is pure: `now` comes in as an argument.
//!
//! # Why a hand parser
//!
//! The crates that read English dates were looked at first (`cargo info`, then
//! their source): `interim` 0.2 (the maintained fork of `chrono-english`),
//! `chrono-english` 0.2 (unmaintained, says `interim`'s README) and
//! `two_timer` 2.2. None fits what a callback needs:
//!
//! - `interim` reads durations ("2 hours", "3 days ago") but not "in 2 hours",
//!   and has no "noon", "tonight" or "morning/afternoon/evening";
//! - `two_timer` returns a range of naive (zone-less) date-times for a phrase,
//!   not one instant in the person's zone;
//! - none tells "unparseable" from "ambiguous": "2" alone, "tomorrow" with no
//!   time, "next week" and "03/12" must be asked again with a reason, not
//!   silently read with some default;
//! - `interim` resolves local times with `earliest()` and so cannot explain a
//!   time that does not exist (the hour skipped when clocks go forward).
//!
//! So this is a small, careful parser on top of `chrono` and `chrono-tz`, with
//! the rules below written down and tested (unit tests here, property tests in
//! `tests/properties.rs`).
//!
//! # What it reads (case-insensitive; "at", "on", "around", "please", "the" are ignored)
//!
//! | written | meaning |
//! |---|---|
//! | `today`, `tonight`, `tomorrow`, `the day after tomorrow` | that day |
//! | `Monday`, `this Monday` | the coming Monday: today if it is Monday and the time is still ahead, else the next one |
//! | `next Monday` | the first Monday strictly after today (never today) |
//! | `3 Dec`, `Dec 3rd`, `3 December 2026`, `2026-12-03` | that date; without a year, this year's unless it is already gone |
//! | `03/12`, `12/3/2026` | only when the order is clear (a part above 12); else asked again |
//! | `2pm`, `2:30 PM`, `10am`, `14:00`, `9:30`, `noon`, `midday`, `midnight` | that time; `midnight` is the end of the day named |
//! | `morning`, `afternoon`, `evening`, `tonight`/`night`, `lunchtime` | 09:00, 14:00, 18:00, 20:00, 12:00 |
//! | `in 2 hours`, `in 30 minutes`, `in an hour`, `in half an hour`, `90 min from now` | that long from now, to the minute |
//! | `in 3 days`, `in 2 weeks` | that day (a time is still needed) |
//! | `2026-12-03 02:30 +01:00` | an explicit UTC offset picks one of the two readings of a local time that happens twice |
//!
//! Rules that decide the doubtful cases:
//!
//! - A time without AM/PM is read on the 24-hour clock ("14:00", "09:30",
//!   "9:30"), except a bare hour ("2", "at 9") and a one-digit hour from 1 to 6
//!   with minutes ("2:30"): those are asked again ("2 AM or 2 PM?"). A part of
//!   the day settles it: "3 in the afternoon" is 15:00.
//! - A day with no time ("tomorrow", "Friday") and vague words ("next week",
//!   "soon", "asap") are asked again.
//! - A time with no day ("5pm", "morning") is the next one: today if still
//!   ahead, else tomorrow. A day named explicitly is never moved: "today 9am"
//!   at noon is in the past, and said so.
//! - Every accepted time is strictly after `now`, at most a year ahead, and a
//!   whole minute (relative times are cut to the minute; at least one minute
//!   ahead is still strictly in the future).
//! - A local time skipped by a daylight-saving change is refused with an
//!   explanation; a local time that happens twice is read as the first one
//!   still in the future (the echo shows the UTC offset in that case).

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime,
    NaiveTime, TimeZone, Timelike, Weekday,
};
use chrono_tz::Tz;

/// Longest text the parser looks at; anything longer is not a time.
const MAX_LEN: usize = 120;
/// How far ahead a callback may be booked.
const MAX_AHEAD_DAYS: i64 = 366;

/// Why a text was not accepted as a callback time. `Display` is the reason
/// shown to the person, followed in the chat by the question again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("I didn't get a time there.")]
    Empty,
    #[error("Sorry, I couldn't read that as a time.")]
    Unrecognised,
    #[error("Did you mean {hour} AM or {hour} PM?")]
    AmbiguousHour { hour: u32 },
    #[error("What time {day}?")]
    NeedsTime { day: String },
    #[error("Which day and time {span}?")]
    NeedsDay { span: String },
    #[error("I need a specific time.")]
    Vague,
    #[error(
        "Is {text} the {day} of {month_a} or the {month} of {month_b}? Please write the month as a word, like \"3 Dec\"."
    )]
    AmbiguousDate {
        text: String,
        day: String,
        month_a: String,
        month: String,
        month_b: String,
    },
    #[error("Which month do you mean?")]
    MissingMonth,
    #[error("That date doesn't exist.")]
    InvalidDate,
    #[error("That isn't a valid time of day.")]
    InvalidTime,
    #[error("I found more than one day or time in that. Please give just one.")]
    Conflicting,
    #[error("{when} has already passed. Please pick a time in the future.")]
    InPast { when: String },
    #[error(
        "{local} doesn't exist in {tz}: the clocks go forward then (daylight saving time). Please pick another time."
    )]
    Nonexistent { local: String, tz: String },
    #[error("That's more than a year away. Please pick a time within the next year.")]
    TooFarAhead,
}

/// Reads `text` as a time in `now`'s time zone. See the module doc for the
/// rules. The result is strictly after `now`, a whole minute, and at most a
/// year ahead.
pub fn parse_when(text: &str, now: DateTime<Tz>) -> Result<DateTime<Tz>, WhenError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WhenError::Empty);
    }
    if text.chars().count() > MAX_LEN {
        return Err(WhenError::Unrecognised);
    }
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Err(WhenError::Empty);
    }
    let spec = Spec::read(&tokens)?;
    let found = spec.resolve(now)?;
    let limit = now.to_utc() + Duration::days(MAX_AHEAD_DAYS);
    if found.to_utc() <= now.to_utc() {
        return Err(WhenError::InPast {
            when: format_when(&found),
        });
    }
    if found.to_utc() > limit {
        return Err(WhenError::TooFarAhead);
    }
    Ok(found)
}

/// The echo shown to the person: "Tuesday 1 December 2026, 14:00 (Europe/Berlin)".
/// When that local time happens twice (clocks going back), the UTC offset is
/// added so the two can be told apart.
pub fn format_when(when: &DateTime<Tz>) -> String {
    let base = when.format("%A %-d %B %Y, %H:%M").to_string();
    let tz = when.timezone().name();
    if is_repeated_local_time(when) {
        let offset = FixedOffset::east_opt(offset_seconds(when))
            .map(|o| o.to_string())
            .unwrap_or_default();
        format!("{base} ({tz}, UTC{offset})")
    } else {
        format!("{base} ({tz})")
    }
}

/// The same instant written the way [`parse_when`] reads without doubt:
/// "2026-12-03 14:00", plus " +01:00" when that local time happens twice.
pub fn format_absolute(when: &DateTime<Tz>) -> String {
    let base = when.format("%Y-%m-%d %H:%M").to_string();
    if is_repeated_local_time(when) {
        let offset = FixedOffset::east_opt(offset_seconds(when))
            .map(|o| o.to_string())
            .unwrap_or_default();
        format!("{base} {offset}")
    } else {
        base
    }
}

fn offset_seconds(when: &DateTime<Tz>) -> i32 {
    let naive_local = when.naive_local();
    let naive_utc = when.naive_utc();
    i32::try_from((naive_local - naive_utc).num_seconds()).unwrap_or(0)
}

fn is_repeated_local_time(when: &DateTime<Tz>) -> bool {
    matches!(
        when.timezone().from_local_datetime(&when.naive_local()),
        LocalResult::Ambiguous(_, _)
    )
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    /// Written with minutes ("9:30"), not a bare hour ("9").
    with_minutes: bool,
    /// How many digits the hour was written with ("09" is 2, "9" is 1).
    hour_digits: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Num { value: u32, digits: usize },
    Ordinal(u32),
    Clock(Clock),
    Amount { value: u32, unit: Unit },
    IsoDate(NaiveDate),
    SlashDate { a: u32, b: u32, year: Option<i32> },
    Offset(i32),
    Junk,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let lower = text
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("a.m", "am")
        .replace("p.m", "pm")
        .replace("o'clock", " ")
        .replace("o’clock", " ")
        .replace("oclock", " ");
    let spaced: String = lower
        .chars()
        .map(|c| match c {
            ',' | ';' | '!' | '?' | '(' | ')' | '"' | '“' | '”' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    let mut raw: Vec<String> = Vec::new();
    for word in spaced.split(' ').filter(|w| !w.is_empty()) {
        let word = word.trim_end_matches('.');
        if word.is_empty() {
            continue;
        }
        // "2026-12-03t14:00" is a date and a time.
        if let Some((date, time)) = word.split_once('t')
            && parse_iso_date(date).is_some()
            && !time.is_empty()
        {
            raw.push(date.to_string());
            raw.push(time.to_string());
            continue;
        }
        raw.push(word.to_string());
    }
    let mut tokens: Vec<Tok> = Vec::with_capacity(raw.len());
    for word in &raw {
        let tok = classify(word);
        // "2 pm", "2:30 pm": the meridiem as its own word joins the number before it.
        if let Some(meridiem) = meridiem_word(word) {
            match tokens.last_mut() {
                Some(Tok::Num { value, digits }) if *digits <= 2 => {
                    let clock = Clock {
                        hour: *value,
                        minute: 0,
                        meridiem: Some(meridiem),
                        with_minutes: false,
                        hour_digits: *digits,
                    };
                    *tokens.last_mut().expect("just matched") = Tok::Clock(clock);
                    continue;
                }
                Some(Tok::Clock(clock)) if clock.meridiem.is_none() => {
                    clock.meridiem = Some(meridiem);
                    continue;
                }
                _ => {}
            }
        }
        tokens.push(tok);
    }
    tokens
}

fn meridiem_word(word: &str) -> Option<Meridiem> {
    match word {
        "am" => Some(Meridiem::Am),
        "pm" => Some(Meridiem::Pm),
        _ => None,
    }
}

fn digits_only(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn small_number(s: &str) -> Option<u32> {
    if digits_only(s) && s.len() <= 9 {
        s.parse().ok()
    } else {
        None
    }
}

fn classify(word: &str) -> Tok {
    if let Some(value) = small_number(word) {
        return Tok::Num {
            value,
            digits: word.len(),
        };
    }
    if let Some(date) = parse_iso_date(word) {
        return Tok::IsoDate(date);
    }
    if let Some(tok) = parse_slash_date(word) {
        return tok;
    }
    if let Some(clock) = parse_clock(word) {
        return Tok::Clock(clock);
    }
    if let Some(offset) = parse_offset(word) {
        return Tok::Offset(offset);
    }
    if let Some(n) = parse_ordinal(word) {
        return Tok::Ordinal(n);
    }
    if let Some((value, unit)) = parse_glued_amount(word) {
        return Tok::Amount { value, unit };
    }
    if word
        .chars()
        .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        || matches!(word, "-" | "–" | "—" | "@")
    {
        return Tok::Word(word.replace('’', "'"));
    }
    Tok::Junk
}

fn parse_iso_date(word: &str) -> Option<NaiveDate> {
    let mut parts = word.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if d.is_empty() || d.len() > 2 {
        return None;
    }
    let (y, m, d) = (small_number(y)?, small_number(m)?, small_number(d)?);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn parse_slash_date(word: &str) -> Option<Tok> {
    let parts: Vec<&str> = word.split('/').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let a = small_number(parts[0])?;
    let b = small_number(parts[1])?;
    let year = match parts.get(2) {
        None => None,
        Some(y) if y.len() == 4 => Some(i32::try_from(small_number(y)?).ok()?),
        Some(y) if y.len() == 2 => Some(2000 + i32::try_from(small_number(y)?).ok()?),
        Some(_) => return None,
    };
    Some(Tok::SlashDate { a, b, year })
}

/// "14:00", "9:30", "9.30", "2pm", "2:30pm", "10am".
fn parse_clock(word: &str) -> Option<Clock> {
    let (body, meridiem) = if let Some(b) = word.strip_suffix("am") {
        (b, Some(Meridiem::Am))
    } else if let Some(b) = word.strip_suffix("pm") {
        (b, Some(Meridiem::Pm))
    } else {
        (word, None)
    };
    let split = body.split_once(':').or_else(|| body.split_once('.'));
    match split {
        Some((h, m)) => {
            if h.is_empty() || h.len() > 2 || m.len() != 2 {
                return None;
            }
            Some(Clock {
                hour: small_number(h)?,
                minute: small_number(m)?,
                meridiem,
                with_minutes: true,
                hour_digits: h.len(),
            })
        }
        None => {
            // A bare number is a clock only with am/pm glued on ("2pm").
            meridiem?;
            if body.is_empty() || body.len() > 2 {
                return None;
            }
            Some(Clock {
                hour: small_number(body)?,
                minute: 0,
                meridiem,
                with_minutes: false,
                hour_digits: body.len(),
            })
        }
    }
}

/// "+01:00", "-05:00", "+0530".
fn parse_offset(word: &str) -> Option<i32> {
    let (sign, rest) = match word.as_bytes().first()? {
        b'+' => (1, &word[1..]),
        b'-' => (-1, &word[1..]),
        _ => return None,
    };
    if !rest.is_ascii() {
        return None;
    }
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => return None,
    };
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (small_number(h)?, small_number(m)?);
    if h > 14 || m > 59 {
        return None;
    }
    let seconds = i32::try_from(h * 3600 + m * 60).ok()?;
    Some(sign * seconds)
}

fn parse_ordinal(word: &str) -> Option<u32> {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = word.strip_suffix(suffix)
            && n.len() <= 2
        {
            return small_number(n);
        }
    }
    None
}

/// "2h", "30min", "90mins", "2hrs", "3d".
fn parse_glued_amount(word: &str) -> Option<(u32, Unit)> {
    let split = word.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = word.split_at(split);
    Some((small_number(n)?, unit_word(unit)?))
}

fn unit_word(word: &str) -> Option<Unit> {
    match word {
        "m" | "min" | "mins" | "minute" | "minutes" => Some(Unit::Minute),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(Unit::Hour),
        "d" | "day" | "days" => Some(Unit::Day),
        "week" | "weeks" => Some(Unit::Week),
        _ => None,
    }
}

fn number_word(word: &str) -> Option<u32> {
    Some(match word {
        "a" | "an" | "one" => 1,
        "two" | "couple" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        _ => return None,
    })
}

fn weekday_word(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" | "weds" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn month_word(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "at" | "on"
            | "around"
            | "about"
            | "approx"
            | "approximately"
            | "roughly"
            | "please"
            | "pls"
            | "the"
            | "of"
            | "by"
            | "ideally"
            | "preferably"
            | "maybe"
            | "-"
            | "–"
            | "—"
            | "@"
    )
}

fn is_vague(word: &str) -> bool {
    matches!(
        word,
        "now" | "asap" | "soon" | "later" | "whenever" | "anytime" | "sometime" | "possible"
    )
}

// ---------------------------------------------------------------------------
// What was said
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartOfDay {
    Morning,
    Lunch,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    fn default_time(self) -> NaiveTime {
        let hour = match self {
            PartOfDay::Morning => 9,
            PartOfDay::Lunch => 12,
            PartOfDay::Afternoon => 14,
            PartOfDay::Evening => 18,
            PartOfDay::Night => 20,
        };
        NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour")
    }

    fn meridiem(self) -> Meridiem {
        match self {
            PartOfDay::Morning => Meridiem::Am,
            _ => Meridiem::Pm,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Today,
    Tomorrow,
    AfterTomorrow,
    Weekday {
        weekday: Weekday,
        next: bool,
    },
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    InDays(u32),
}

impl Day {
    fn describe(self) -> String {
        match self {
            Day::Today => "today".into(),
            Day::Tomorrow => "tomorrow".into(),
            Day::AfterTomorrow => "the day after tomorrow".into(),
            Day::Weekday { weekday, next } => {
                let name = weekday_name(weekday);
                if next {
                    format!("next {name}")
                } else {
                    format!("on {name}")
                }
            }
            Day::Date { month, day, .. } => {
                let month = MONTH_NAMES
                    .get(month.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or("");
                format!("on {day} {month}")
            }
            Day::InDays(n) => format!("in {n} days"),
        }
    }
}

fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeOfDay {
    Clock(Clock),
    Noon,
    Midnight,
}

#[derive(Debug, Default)]
struct Spec {
    day: Option<Day>,
    time: Option<TimeOfDay>,
    part: Option<PartOfDay>,
    /// "in 2 hours": minutes from now.
    relative_minutes: Option<i64>,
    offset: Option<i32>,
}

impl Spec {
    fn set_day(&mut self, day: Day) -> Result<(), WhenError> {
        match self.day {
            Some(existing) if existing != day => Err(WhenError::Conflicting),
            _ => {
                self.day = Some(day);
                Ok(())
            }
        }
    }

    fn set_time(&mut self, time: TimeOfDay) -> Result<(), WhenError> {
        match self.time {
            Some(existing) if existing != time => Err(WhenError::Conflicting),
            _ => {
                self.time = Some(time);
                Ok(())
            }
        }
    }

    fn set_part(&mut self, part: PartOfDay) -> Result<(), WhenError> {
        match self.part {
            Some(existing) if existing != part => Err(WhenError::Conflicting),
            _ => {
                self.part = Some(part);
                Ok(())
            }
        }
    }

    fn set_amount(&mut self, value: u32, unit: Unit) -> Result<(), WhenError> {
        if self.relative_minutes.is_some() {
            return Err(WhenError::Conflicting);
        }
        let value = i64::from(value);
        match unit {
            Unit::Minute => self.relative_minutes = Some(value),
            Unit::Hour => self.relative_minutes = Some(value.saturating_mul(60)),
            Unit::Day | Unit::Week => {
                let days = if unit == Unit::Week {
                    value.saturating_mul(7)
                } else {
                    value
                };
                if days > MAX_AHEAD_DAYS {
                    return Err(WhenError::TooFarAhead);
                }
                let days = u32::try_from(days).map_err(|_| WhenError::TooFarAhead)?;
                self.set_day(Day::InDays(days))?;
            }
        }
        Ok(())
    }

    fn read(tokens: &[Tok]) -> Result<Spec, WhenError> {
        let mut spec = Spec::default();
        let mut i = 0;
        let word_at = |i: usize| match tokens.get(i) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        while i < tokens.len() {
            match &tokens[i] {
                Tok::Junk => return Err(WhenError::Unrecognised),
                Tok::Offset(seconds) => {
                    if spec.offset.is_some() || spec.time.is_none() {
                        return Err(WhenError::Unrecognised);
                    }
                    spec.offset = Some(*seconds);
                    i += 1;
                }
                Tok::IsoDate(date) => {
                    spec.set_day(Day::Date {
                        year: Some(date.year()),
                        month: date.month(),
                        day: date.day(),
                    })?;
                    i += 1;
                }
                Tok::SlashDate { a, b, year } => {
                    let day = slash_date(*a, *b, *year, &tokens[i])?;
                    spec.set_day(day)?;
                    i += 1;
                }
                Tok::Clock(clock) => {
                    spec.set_time(TimeOfDay::Clock(*clock))?;
                    i += 1;
                }
                Tok::Amount { value, unit } => {
                    spec.set_amount(*value, *unit)?;
                    i += 1;
                    i = skip_from_now(tokens, i);
                }
                Tok::Ordinal(day) => {
                    // "3rd December", "3rd of December"
                    let (month, used) =
                        month_after(tokens, i + 1).ok_or(WhenError::MissingMonth)?;
                    i = read_date(&mut spec, *day, month, tokens, i + 1 + used)?;
                }
                Tok::Num { value, digits } => {
                    if let Some((month, used)) = month_after(tokens, i + 1) {
                        // "3 Dec", "3 of December"
                        i = read_date(&mut spec, *value, month, tokens, i + 1 + used)?;
                    } else if let Some(unit) = word_at(i + 1).and_then(unit_word) {
                        // "2 hours", "30 minutes from now"
                        spec.set_amount(*value, unit)?;
                        i = skip_from_now(tokens, i + 2);
                    } else if *digits <= 2 {
                        // A bare hour: "at 2", "at 14"
                        spec.set_time(TimeOfDay::Clock(Clock {
                            hour: *value,
                            minute: 0,
                            meridiem: None,
                            with_minutes: false,
                            hour_digits: *digits,
                        }))?;
                        i += 1;
                    } else {
                        return Err(WhenError::Unrecognised);
                    }
                }
                Tok::Word(word) => {
                    let word = word.as_str();
                    let next = word_at(i + 1);
                    if is_filler(word) {
                        i += 1;
                    } else if is_vague(word) {
                        return Err(WhenError::Vague);
                    } else if word == "in" || word == "within" {
                        i = read_in(&mut spec, tokens, i + 1)?;
                    } else if word == "today" {
                        spec.set_day(Day::Today)?;
                        i += 1;
                    } else if word == "tonight" {
                        spec.set_day(Day::Today)?;
                        spec.set_part(PartOfDay::Night)?;
                        i += 1;
                    } else if matches!(word, "tomorrow" | "tmrw" | "tmr" | "tomorow" | "tommorow") {
                        spec.set_day(Day::Tomorrow)?;
                        i += 1;
                    } else if word == "day"
                        && next == Some("after")
                        && matches!(word_at(i + 2), Some("tomorrow" | "tmrw" | "tomorow"))
                    {
                        spec.set_day(Day::AfterTomorrow)?;
                        i += 3;
                    } else if word == "next" || word == "this" || word == "coming" {
                        let follow = next.ok_or(WhenError::Unrecognised)?;
                        if let Some(weekday) = weekday_word(follow) {
                            spec.set_day(Day::Weekday {
                                weekday,
                                next: word == "next",
                            })?;
                        } else if let Some(part) = part_word(follow) {
                            if word == "next" {
                                return Err(WhenError::Unrecognised);
                            }
                            spec.set_day(Day::Today)?;
                            spec.set_part(part)?;
                        } else if matches!(follow, "week" | "weekend" | "month" | "year") {
                            return Err(WhenError::NeedsDay {
                                span: format!("{word} {follow}"),
                            });
                        } else {
                            return Err(WhenError::Unrecognised);
                        }
                        i += 2;
                    } else if let Some(weekday) = weekday_word(word) {
                        spec.set_day(Day::Weekday {
                            weekday,
                            next: false,
                        })?;
                        i += 1;
                    } else if let Some(month) = month_word(word) {
                        // "Dec 3", "December 3rd 2026"
                        let day = match tokens.get(i + 1) {
                            Some(Tok::Num { value, digits }) if *digits <= 2 => *value,
                            Some(Tok::Ordinal(value)) => *value,
                            _ => {
                                return Err(WhenError::NeedsDay {
                                    span: format!("in {}", MONTH_NAMES[month as usize - 1]),
                                });
                            }
                        };
                        i = read_date(&mut spec, day, month, tokens, i + 2)?;
                    } else if let Some(part) = part_word(word) {
                        spec.set_part(part)?;
                        i += 1;
                    } else if matches!(word, "noon" | "midday") {
                        spec.set_time(TimeOfDay::Noon)?;
                        i += 1;
                    } else if word == "midnight" {
                        spec.set_time(TimeOfDay::Midnight)?;
                        i += 1;
                    } else if matches!(word, "week" | "weekend" | "month") {
                        return Err(WhenError::NeedsDay {
                            span: format!("that {word}"),
                        });
                    } else {
                        return Err(WhenError::Unrecognised);
                    }
                }
            }
        }
        Ok(spec)
    }

    fn resolve(&self, now: DateTime<Tz>) -> Result<DateTime<Tz>, WhenError> {
        if let Some(minutes) = self.relative_minutes {
            if self.day.is_some() || self.time.is_some() || self.part.is_some() {
                return Err(WhenError::Conflicting);
            }
            if minutes > MAX_AHEAD_DAYS * 24 * 60 {
                return Err(WhenError::TooFarAhead);
            }
            let at = now.to_utc() + Duration::minutes(minutes);
            let at = at
                .with_second(0)
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(at);
            return Ok(at.with_timezone(&now.timezone()));
        }
        let (time, day_shift) = match (self.time, self.part) {
            (None, None) => {
                return Err(match self.day {
                    Some(day) => WhenError::NeedsTime {
                        day: day.describe(),
                    },
                    None => WhenError::Unrecognised,
                });
            }
            (None, Some(part)) => (part.default_time(), 0),
            (Some(TimeOfDay::Noon), _) => (NaiveTime::from_hms_opt(12, 0, 0).expect("noon"), 0),
            (Some(TimeOfDay::Midnight), _) => (NaiveTime::MIN, 1),
            (Some(TimeOfDay::Clock(clock)), part) => (clock_time(clock, part)?, 0),
        };
        let tz = now.timezone();
        let today = now.date_naive();
        let dates = self.candidate_dates(today)?;
        let mut first_error = None;
        for date in dates {
            let local = add_days(date, day_shift)?.and_time(time);
            match self.to_instant(tz, local, now) {
                Ok(found) if found.to_utc() > now.to_utc() => return Ok(found),
                Ok(found) => {
                    first_error.get_or_insert(WhenError::InPast {
                        when: format_when(&found),
                    });
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(WhenError::Unrecognised))
    }

    /// The days this could mean, in order of preference; the first one whose
    /// time is still ahead wins.
    fn candidate_dates(&self, today: NaiveDate) -> Result<Vec<NaiveDate>, WhenError> {
        let plus = |days: u32| add_days(today, days);
        Ok(match self.day {
            None => vec![today, plus(1)?],
            Some(Day::Today) => vec![today],
            Some(Day::Tomorrow) => vec![plus(1)?],
            Some(Day::AfterTomorrow) => vec![plus(2)?],
            Some(Day::InDays(n)) => vec![plus(n)?],
            Some(Day::Weekday { weekday, next }) => {
                let ahead = (weekday.num_days_from_monday() + 7
                    - today.weekday().num_days_from_monday())
                    % 7;
                match (ahead, next) {
                    (0, false) => vec![today, plus(7)?],
                    (0, true) => vec![plus(7)?],
                    (n, _) => vec![plus(n)?],
                }
            }
            Some(Day::Date {
                year: Some(year),
                month,
                day,
            }) => vec![NaiveDate::from_ymd_opt(year, month, day).ok_or(WhenError::InvalidDate)?],
            Some(Day::Date {
                year: None,
                month,
                day,
            }) => {
                let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
                let next_year = NaiveDate::from_ymd_opt(today.year() + 1, month, day);
                match (this_year, next_year) {
                    (Some(d), _) if d >= today => vec![d],
                    (_, Some(d)) => vec![d],
                    (Some(_), None) | (None, None) => return Err(WhenError::InvalidDate),
                }
            }
        })
    }

    fn to_instant(
        &self,
        tz: Tz,
        local: NaiveDateTime,
        now: DateTime<Tz>,
    ) -> Result<DateTime<Tz>, WhenError> {
        if let Some(seconds) = self.offset {
            let offset = FixedOffset::east_opt(seconds).ok_or(WhenError::Unrecognised)?;
            let fixed = offset
                .from_local_datetime(&local)
                .single()
                .ok_or(WhenError::InvalidTime)?;
            return Ok(fixed.with_timezone(&tz));
        }
        match tz.from_local_datetime(&local) {
            LocalResult::Single(found) => Ok(found),
            LocalResult::Ambiguous(first, second) => {
                if first.to_utc() > now.to_utc() {
                    Ok(first)
                } else {
                    Ok(second)
                }
            }
            LocalResult::None => Err(WhenError::Nonexistent {
                local: local.format("%A %-d %B %Y, %H:%M").to_string(),
                tz: tz.name().to_string(),
            }),
        }
    }
}

fn add_days(date: NaiveDate, days: u32) -> Result<NaiveDate, WhenError> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or(WhenError::TooFarAhead)
}

fn part_word(word: &str) -> Option<PartOfDay> {
    Some(match word {
        "morning" => PartOfDay::Morning,
        "lunchtime" | "lunch" => PartOfDay::Lunch,
        "afternoon" => PartOfDay::Afternoon,
        "evening" => PartOfDay::Evening,
        "night" => PartOfDay::Night,
        _ => return None,
    })
}

/// After a number or ordinal: "Dec", "of December". Returns the month and how
/// many tokens it used.
fn month_after(tokens: &[Tok], i: usize) -> Option<(u32, usize)> {
    match tokens.get(i) {
        Some(Tok::Word(w)) if w == "of" => match tokens.get(i + 1) {
            Some(Tok::Word(m)) => month_word(m).map(|m| (m, 2)),
            _ => None,
        },
        Some(Tok::Word(m)) => month_word(m).map(|m| (m, 1)),
        _ => None,
    }
}

/// Records a date and takes an optional four-digit year after it. Returns the
/// index after what it used.
fn read_date(
    spec: &mut Spec,
    day: u32,
    month: u32,
    tokens: &[Tok],
    i: usize,
) -> Result<usize, WhenError> {
    if !(1..=31).contains(&day) {
        return Err(WhenError::InvalidDate);
    }
    let (year, next) = match tokens.get(i) {
        Some(Tok::Num { value, digits: 4 }) => (
            Some(i32::try_from(*value).map_err(|_| WhenError::InvalidDate)?),
            i + 1,
        ),
        _ => (None, i),
    };
    spec.set_day(Day::Date { year, month, day })?;
    Ok(next)
}

/// After "in": "2 hours", "an hour", "half an hour", "a couple of hours",
/// "3 days"; or a filler ("in the morning").
fn read_in(spec: &mut Spec, tokens: &[Tok], i: usize) -> Result<usize, WhenError> {
    let word_at = |i: usize| match tokens.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    match tokens.get(i) {
        Some(Tok::Amount { value, unit }) => {
            spec.set_amount(*value, *unit)?;
            Ok(skip_from_now(tokens, i + 1))
        }
        Some(Tok::Num { value, .. }) => {
            let unit = word_at(i + 1)
                .and_then(unit_word)
                .ok_or(WhenError::Unrecognised)?;
            spec.set_amount(*value, unit)?;
            Ok(skip_from_now(tokens, i + 2))
        }
        Some(Tok::Word(w)) if w == "half" => {
            // "half an hour", "half a day" is too vague.
            match (word_at(i + 1), word_at(i + 2)) {
                (Some("an" | "a"), Some("hour")) => {
                    spec.set_amount(30, Unit::Minute)?;
                    Ok(skip_from_now(tokens, i + 3))
                }
                _ => Err(WhenError::Unrecognised),
            }
        }
        Some(Tok::Word(w)) if number_word(w).is_some() => {
            let mut value = number_word(w).unwrap_or(1);
            let mut j = i + 1;
            // "a couple of hours", "a few minutes"
            if matches!(w.as_str(), "a") {
                match word_at(j) {
                    Some("couple") => {
                        value = 2;
                        j += 1;
                        if word_at(j) == Some("of") {
                            j += 1;
                        }
                    }
                    Some("few") => return Err(WhenError::Vague),
                    _ => {}
                }
            }
            let unit = word_at(j)
                .and_then(unit_word)
                .ok_or(WhenError::Unrecognised)?;
            spec.set_amount(value, unit)?;
            Ok(skip_from_now(tokens, j + 1))
        }
        Some(Tok::Word(w)) if w == "few" || w == "a" => Err(WhenError::Vague),
        // "in the morning", "in the afternoon": "in" is only a filler there.
        Some(_) => Ok(i),
        None => Err(WhenError::Unrecognised),
    }
}

/// "from now", "later" after an amount.
fn skip_from_now(tokens: &[Tok], i: usize) -> usize {
    match (tokens.get(i), tokens.get(i + 1)) {
        (Some(Tok::Word(a)), Some(Tok::Word(b))) if a == "from" && b == "now" => i + 2,
        (Some(Tok::Word(a)), _) if a == "later" || a == "time" => i + 1,
        _ => i,
    }
}

fn slash_date(a: u32, b: u32, year: Option<i32>, tok: &Tok) -> Result<Day, WhenError> {
    let valid = |month: u32, day: u32| (1..=12).contains(&month) && (1..=31).contains(&day);
    let day_month = valid(b, a);
    let month_day = valid(a, b);
    match (day_month, month_day) {
        (true, false) => Ok(Day::Date {
            year,
            month: b,
            day: a,
        }),
        (false, true) => Ok(Day::Date {
            year,
            month: a,
            day: b,
        }),
        (true, true) if a == b => Ok(Day::Date {
            year,
            month: a,
            day: a,
        }),
        (true, true) => {
            let text = match tok {
                Tok::SlashDate { year: Some(y), .. } => format!("{a:02}/{b:02}/{y}"),
                _ => format!("{a:02}/{b:02}"),
            };
            Err(WhenError::AmbiguousDate {
                text,
                day: ordinal(a),
                month_a: MONTH_NAMES[b as usize - 1].to_string(),
                month: ordinal(b),
                month_b: MONTH_NAMES[a as usize - 1].to_string(),
            })
        }
        (false, false) => Err(WhenError::InvalidDate),
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn clock_time(clock: Clock, part: Option<PartOfDay>) -> Result<NaiveTime, WhenError> {
    if clock.minute > 59 {
        return Err(WhenError::InvalidTime);
    }
    let meridiem = clock.meridiem.or_else(|| {
        // A part of the day settles a 12-hour reading: "3 in the afternoon".
        part.filter(|_| (1..=12).contains(&clock.hour))
            .map(PartOfDay::meridiem)
    });
    let hour = match meridiem {
        Some(m) => {
            if !(1..=12).contains(&clock.hour) {
                return Err(WhenError::InvalidTime);
            }
            match (m, clock.hour) {
                (Meridiem::Am, 12) => 0,
                (Meridiem::Am, h) => h,
                (Meridiem::Pm, 12) => 12,
                (Meridiem::Pm, h) => h + 12,
            }
        }
        None => {
            let doubtful = if clock.with_minutes {
                clock.hour_digits == 1 && (1..=6).contains(&clock.hour)
            } else {
                (1..=12).contains(&clock.hour)
            };
            if doubtful {
                return Err(WhenError::AmbiguousHour { hour: clock.hour });
            }
            if clock.hour > 23 {
                return Err(WhenError::InvalidTime);
            }
            clock.hour
        }
    };
    NaiveTime::from_hms_opt(hour, clock.minute, 0).ok_or(WhenError::InvalidTime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;

    /// Monday 30 November 2026, 11:00 in Berlin (10:00 UTC).
    fn berlin_now() -> DateTime<Tz> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
            .unwrap()
            .with_timezone(&Berlin)
    }

    /// Monday 30 November 2026, 05:00 in New York (10:00 UTC).
    fn new_york_now() -> DateTime<Tz> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
            .unwrap()
            .with_timezone(&New_York)
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Tz> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    #[test]
    fn reads_every_documented_phrase_in_berlin() {
        let now = berlin_now();
        let b = |y, mo, d, h, mi| local(Berlin, y, mo, d, h, mi);
        let table = [
            ("tomorrow at 2 PM", b(2026, 12, 1, 14, 0)),
            ("tomorrow 2pm", b(2026, 12, 1, 14, 0)),
            ("Tomorrow at 2 p.m.", b(2026, 12, 1, 14, 0)),
            ("next Monday 10am", b(2026, 12, 7, 10, 0)),
            ("Monday at 9:30", b(2026, 12, 7, 9, 30)),
            ("monday 16:00", b(2026, 11, 30, 16, 0)),
            ("in 2 hours", b(2026, 11, 30, 13, 0)),
            ("in 30 minutes", b(2026, 11, 30, 11, 30)),
            ("in an hour", b(2026, 11, 30, 12, 0)),
            ("in half an hour", b(2026, 11, 30, 11, 30)),
            ("in a couple of hours", b(2026, 11, 30, 13, 0)),
            ("90 min from now", b(2026, 11, 30, 12, 30)),
            ("in 2h", b(2026, 11, 30, 13, 0)),
            ("today 5pm", b(2026, 11, 30, 17, 0)),
            ("Friday morning", b(2026, 12, 4, 9, 0)),
            ("friday afternoon", b(2026, 12, 4, 14, 0)),
            ("Friday evening", b(2026, 12, 4, 18, 0)),
            ("tomorrow at 3 in the afternoon", b(2026, 12, 1, 15, 0)),
            ("tonight", b(2026, 11, 30, 20, 0)),
            ("tonight at 9", b(2026, 11, 30, 21, 0)),
            ("this evening", b(2026, 11, 30, 18, 0)),
            ("2026-12-03 14:00", b(2026, 12, 3, 14, 0)),
            ("2026-12-03T14:00", b(2026, 12, 3, 14, 0)),
            ("3 Dec 2pm", b(2026, 12, 3, 14, 0)),
            ("3rd of December at 14:00", b(2026, 12, 3, 14, 0)),
            ("Dec 3rd, 2026 at 2pm", b(2026, 12, 3, 14, 0)),
            ("December 3 2:30 PM", b(2026, 12, 3, 14, 30)),
            ("noon", b(2026, 11, 30, 12, 0)),
            ("tomorrow noon", b(2026, 12, 1, 12, 0)),
            ("midnight", b(2026, 12, 1, 0, 0)),
            ("5pm", b(2026, 11, 30, 17, 0)),
            ("10am", b(2026, 12, 1, 10, 0)),
            ("morning", b(2026, 12, 1, 9, 0)),
            ("the day after tomorrow at 11:15", b(2026, 12, 2, 11, 15)),
            ("in 3 days at 10am", b(2026, 12, 3, 10, 0)),
            ("25/12 10am", b(2026, 12, 25, 10, 0)),
            ("12/25/2026 10am", b(2026, 12, 25, 10, 0)),
            ("at 14", b(2026, 11, 30, 14, 0)),
            ("3 Jan 9am", b(2027, 1, 3, 9, 0)),
            ("wed 9.30am", b(2026, 12, 2, 9, 30)),
            ("tomorrow at 2 o'clock pm", b(2026, 12, 1, 14, 0)),
        ];
        for (text, expected) in table {
            assert_eq!(parse_when(text, now), Ok(expected), "{text}");
        }
    }

    #[test]
    fn reads_in_the_persons_zone_in_new_york() {
        let now = new_york_now();
        let ny = |y, mo, d, h, mi| local(New_York, y, mo, d, h, mi);
        assert_eq!(
            parse_when("tomorrow at 2 PM", now),
            Ok(ny(2026, 12, 1, 14, 0))
        );
        // 05:00 in New York: 9am today is still ahead.
        assert_eq!(parse_when("9am", now), Ok(ny(2026, 11, 30, 9, 0)));
        assert_eq!(parse_when("today 5pm", now), Ok(ny(2026, 11, 30, 17, 0)));
        assert_eq!(
            parse_when("tomorrow at 2 PM", now).map(|t| t.to_utc()),
            Ok(Utc.with_ymd_and_hms(2026, 12, 1, 19, 0, 0).unwrap())
        );
    }

    #[test]
    fn refuses_ambiguous_vague_and_past_times_with_a_reason() {
        let now = berlin_now();
        let table: [(&str, WhenError); 14] = [
            ("2", WhenError::AmbiguousHour { hour: 2 }),
            ("tomorrow at 2", WhenError::AmbiguousHour { hour: 2 }),
            ("2:30", WhenError::AmbiguousHour { hour: 2 }),
            (
                "next week",
                WhenError::NeedsDay {
                    span: "next week".into(),
                },
            ),
            (
                "tomorrow",
                WhenError::NeedsTime {
                    day: "tomorrow".into(),
                },
            ),
            (
                "Friday",
                WhenError::NeedsTime {
                    day: "on Friday".into(),
                },
            ),
            ("asap", WhenError::Vague),
            ("soon", WhenError::Vague),
            ("banana", WhenError::Unrecognised),
            ("", WhenError::Empty),
            (
                "today 9am",
                WhenError::InPast {
                    when: "Monday 30 November 2026, 09:00 (Europe/Berlin)".into(),
                },
            ),
            ("31 Feb 10am", WhenError::InvalidDate),
            ("25pm", WhenError::InvalidTime),
            ("in 400 days at 10am", WhenError::TooFarAhead),
        ];
        for (text, expected) in table {
            assert_eq!(parse_when(text, now), Err(expected), "{text}");
        }
        assert!(matches!(
            parse_when("03/12 10am", now),
            Err(WhenError::AmbiguousDate { .. })
        ));
        assert_eq!(
            parse_when("2025-12-03 14:00", now),
            Err(WhenError::InPast {
                when: "Wednesday 3 December 2025, 14:00 (Europe/Berlin)".into()
            })
        );
        assert_eq!(
            parse_when("tomorrow friday 3pm", now),
            Err(WhenError::Conflicting)
        );
    }

    #[test]
    fn explains_a_time_skipped_by_the_clocks_going_forward() {
        // In Berlin, on Sunday 28 March 2027, 02:00 jumps to 03:00.
        let now = berlin_now();
        let err = parse_when("2027-03-28 02:30", now).unwrap_err();
        assert_eq!(
            err,
            WhenError::Nonexistent {
                local: "Sunday 28 March 2027, 02:30".into(),
                tz: "Europe/Berlin".into()
            }
        );
        assert!(err.to_string().contains("daylight saving"));
    }

    #[test]
    fn a_time_that_happens_twice_is_the_first_and_shows_its_offset() {
        // In Berlin, 31 October 2027 03:00 CEST goes back to 02:00 CET.
        let now = berlin_now();
        let found = parse_when("2027-10-31 02:30", now).unwrap();
        assert_eq!(
            found.to_utc(),
            Utc.with_ymd_and_hms(2027, 10, 31, 0, 30, 0).unwrap()
        );
        assert_eq!(
            format_when(&found),
            "Sunday 31 October 2027, 02:30 (Europe/Berlin, UTC+02:00)"
        );
        assert_eq!(format_absolute(&found), "2027-10-31 02:30 +02:00");
        // The second reading, written with its offset, round-trips.
        let second = parse_when("2027-10-31 02:30 +01:00", now).unwrap();
        assert_eq!(
            second.to_utc(),
            Utc.with_ymd_and_hms(2027, 10, 31, 1, 30, 0).unwrap()
        );
        assert_eq!(format_absolute(&second), "2027-10-31 02:30 +01:00");
    }

    #[test]
    fn echoes_an_absolute_date_with_the_zone() {
        let now = berlin_now();
        let found = parse_when("tomorrow at 2 PM", now).unwrap();
        assert_eq!(
            format_when(&found),
            "Tuesday 1 December 2026, 14:00 (Europe/Berlin)"
        );
        assert_eq!(format_absolute(&found), "2026-12-01 14:00");
    }

    #[test]
    fn relative_times_are_cut_to_the_minute_and_stay_in_the_future() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 30, 10, 0, 59)
            .unwrap()
            .with_timezone(&Berlin);
        let found = parse_when("in 1 minute", now).unwrap();
        assert_eq!(found, local(Berlin, 2026, 11, 30, 11, 1));
        assert!(found > now);
        assert!(matches!(
            parse_when("in 0 minutes", now),
            Err(WhenError::InPast { .. })
        ));
    }
}
