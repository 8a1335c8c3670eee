//! Docplanner end to end: locale and OAuth2, navigating facility → doctor → address, free slots, booking,
//! listing bookings as a stream, moving, confirming and cancelling, the notification queue, and the rate-limit
//! headers.
//!
//! ```sh
//! cargo run --example docplanner
//! ```
//!
//! With no credentials (the default, and what CI runs) the example starts the in-process Docplanner sandbox
//! on 127.0.0.1 (its own OAuth2 token endpoint included): no account, no network. With
//! `DOCPLANNER_CLIENT_ID`, `DOCPLANNER_CLIENT_SECRET` and `DOCPLANNER_LOCALE` (a code such as `pl`, or a
//! domain) set, it talks to the real API of that country instead. Use a test doctor: the example books, moves,
//! confirms and cancels a visit in the first free slot of the next week, and drains your notification queue.
//! Opening slots (replacing a day's slots) and expiring tokens are sandbox-only steps.
//!
//! What it shows:
//!
//! - `Client::builder().locale(Locale::Pl)`: a locale picks the site's API and token URLs; `.base_url(..)`
//!   overrides them (the token URL follows), which is how the sandbox is reached;
//! - OAuth2 client credentials: one token, cached and renewed by the client, never by your code;
//! - owned navigation handles: `client.facility(f).doctor(d).address(a).slots()`;
//! - `with` extensions, typed per endpoint: `.list(start, end).with(SlotsWith::Services)`;
//! - prices as exact decimals (`carewire::docplanner::Decimal`), never floats: `price.to_minor_units(2)`;
//! - `bookings().list(..).per_page(2).stream()` read with `futures_util::TryStreamExt::try_next`
//!   (`.per_page` through `ListBookingsExt`; the listing is a paginated operation);
//! - every handle method returns a `Call`: `.timeout(..)`, `.retry(..)`, `.header(..)` per call, and
//!   `.send_with_meta()` for the status, request id and rate limit;
//! - the notification queue: `pull()` one, then `stream(limit)` the rest;
//! - `client.rate_limit()`: the latest `X-RateLimit-*` headers, as a snapshot.
//!
//! The process exits non-zero if any step fails.

use std::process::ExitCode;
use std::time::Duration;

use carewire::docplanner::{
    AddressHandler, BookSlot, Booking, BookingsWith, CancelBooking, Client, ConfirmBooking, ConfirmedBy,
    ListBookingsExt, Locale, MoveBooking, PatientInput, ReplaceSlots, SlotInput, SlotsWith,
};
use carewire::testkit::docplanner::{ADDRESS_SERVICE_ID, CLIENT_ID, CLIENT_SECRET, Sandbox};
use carewire_examples::{Mode, Story, mode_for, opt};
use chrono::{DateTime, Days, FixedOffset, NaiveTime, TimeDelta, Utc};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    let mode = mode_for(&["DOCPLANNER_CLIENT_ID", "DOCPLANNER_CLIENT_SECRET", "DOCPLANNER_LOCALE"]);
    let mut story = Story::begin("Docplanner: navigation, slots, bookings, notifications", mode);
    // Keep the sandbox alive for the whole story: it stops when dropped.
    let sandbox = (mode == Mode::Sandbox).then(Sandbox::start);
    run(&mut story, sandbox.as_ref()).await;
    if story.end() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Every booking between `from` and `to`, two per page: the stream fetches the next page when needed.
async fn week_of_bookings(
    address: &AddressHandler,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
) -> carewire::Result<Vec<Booking>> {
    let mut bookings = address.bookings().list(from, to).with(BookingsWith::Patient).per_page(2).stream();
    let mut all = Vec::new();
    while let Some(booking) = bookings.try_next().await? {
        all.push(booking);
    }
    Ok(all)
}

/// Midnight (UTC) `days` days from today.
fn day(days: u64) -> DateTime<FixedOffset> {
    let date = Utc::now().date_naive().checked_add_days(Days::new(days)).unwrap_or_default();
    date.and_time(NaiveTime::MIN).and_utc().fixed_offset()
}

async fn run(story: &mut Story, sandbox: Option<&Sandbox>) {
    // 1. The client. A locale alone targets the country's site (Poland: znanylekarz.pl); the sandbox
    //    overrides the base URL, and the token URL follows it.
    let built = match sandbox {
        Some(s) => {
            let locale = Locale::Pl;
            story.note(format!("locale {locale} alone would use {} and {}", locale.api_base_url(), locale.token_url()));
            Client::builder().locale(locale).base_url(s.base_url()).credentials(CLIENT_ID, CLIENT_SECRET).build()
        }
        None => Client::from_env(), // DOCPLANNER_CLIENT_ID, DOCPLANNER_CLIENT_SECRET, DOCPLANNER_LOCALE
    };
    let Some(client) = story.step("build the client", built, |c| {
        format!("locale {}, base URL {}, token URL {}", opt(c.locale().as_ref()), c.base_url(), c.token_url())
    }) else {
        return;
    };

    // 2. Navigation: the first facility, its first doctor, the doctor's first address. The first call
    //    fetches an OAuth2 token (client credentials, scope `integration`); later calls reuse it.
    let facilities = client.facilities().list().await;
    let Some(facility) = story
        .step("list facilities (the first call obtains a token)", facilities, |f| format!("{} facility(ies)", f.len()))
        .and_then(|f| f.items.into_iter().next())
    else {
        return;
    };
    let facility_h = client.facility(&facility.id);
    let doctors = facility_h.doctors().list().await;
    let Some(doctor) = story
        .step(&format!("list the doctors of facility {}", facility.id), doctors, |d| {
            let names: Vec<String> =
                d.iter().map(|d| format!("{} {}", opt(d.name.as_ref()), opt(d.surname.as_ref()))).collect();
            names.join(", ")
        })
        .and_then(|d| d.items.into_iter().next())
    else {
        return;
    };
    let doctor_h = facility_h.doctor(&doctor.id);
    let addresses = doctor_h.addresses().list().await;
    let Some(address) = story
        .step(&format!("list the addresses of doctor {}", doctor.id), addresses, |a| {
            let names: Vec<String> = a.iter().map(|a| format!("{} ({})", a.id, opt(a.name.as_ref()))).collect();
            names.join(", ")
        })
        .and_then(|a| a.items.into_iter().next())
    else {
        return;
    };
    // Handles are cheap, owned and `Send`: keep one per address.
    let address_h = doctor_h.address(&address.id);
    if let Some(s) = sandbox {
        story.check(
            "one token served all three calls",
            s.tokens_issued() == 1,
            format!("{} issued", s.tokens_issued()),
        );
    }

    // 3. Free slots in the coming week. In the sandbox, open three hours of 30-minute slots first (what a
    //    calendar integration does with `replace`).
    let (from, to) = (day(1), day(8));
    if sandbox.is_some() {
        let opening = day(1) + TimeDelta::hours(9);
        let replaced = address_h
            .slots()
            .replace(
                ReplaceSlots::new()
                    .slot(SlotInput::new(opening, opening + TimeDelta::hours(3)).service(ADDRESS_SERVICE_ID, 30)),
            )
            .await;
        story.step("open slots 09:00-12:00 tomorrow (sandbox)", replaced, |()| "6 slots of 30 minutes".to_owned());
    } else {
        story.skip("open slots", "a live calendar is managed by the doctor (sandbox only here)");
    }
    let slots = address_h.slots().list(from, to).with(SlotsWith::Services).await;
    let Some(slots) = story.step("list free slots with their services (`with`)", slots, |s| {
        let first = s.items.first().map(|s| s.start.to_rfc3339());
        format!("{} free, first at {}", s.len(), opt(first.as_ref()))
    }) else {
        return;
    };
    let (Some(slot), Some(later)) = (slots.items.first(), slots.items.last()) else {
        story.skip("book, move, confirm, cancel", "no free slot in the coming week");
        return;
    };
    let service = slot
        .address_services
        .as_ref()
        .and_then(|c| c.items.first())
        .map_or_else(|| ADDRESS_SERVICE_ID.to_owned(), |s| s.id.clone());
    if let Some(price) = slot.address_services.as_ref().and_then(|c| c.items.first()).and_then(|s| s.price) {
        let cents = price.to_minor_units(2);
        story.note(format!("service {service} costs {price} ({} in minor units)", opt(cents.as_ref())));
    }

    // 4. Book the first slot. In the sandbox two more patients book the next slots, so that the listing
    //    below spans two pages.
    let patient = PatientInput::new("Abraham", "+48123123123").surname("Lincoln").email("abraham@example.com");
    let booked = address_h.slots().book(slot.start, BookSlot::new(&service, 30, patient).comment("First visit")).await;
    let Some(booking) = story.step("book the first slot", booked, |b| {
        format!("booking {} {} at {}", opt(b.id.as_ref()), opt(b.status.as_ref()), opt(b.start_at.as_ref()))
    }) else {
        return;
    };
    let Some(booking_id) = booking.id else {
        story.check("the booking has an id", false, "none returned");
        return;
    };
    if sandbox.is_some() {
        for (other, name) in slots.items.iter().skip(1).take(2).zip(["Mary", "Tad"]) {
            let patient = PatientInput::new(name, "+48123123124").surname("Lincoln");
            let booked = address_h.slots().book(other.start, BookSlot::new(&service, 30, patient)).await;
            story.step(&format!("{name} books another slot (sandbox)"), booked, |b| {
                format!("booking {}", opt(b.id.as_ref()))
            });
        }
    }

    // 5. Every booking of the week, two per page, read as one stream.
    let listed = week_of_bookings(&address_h, from, to).await;
    story.step("stream the week's bookings (2 per page)", listed, |all| {
        let lines: Vec<String> = all
            .iter()
            .map(|b| {
                let who = b.patient.as_ref().and_then(|p| p.name.clone());
                format!("{} for {}", opt(b.id.as_ref()), opt(who.as_ref()))
            })
            .collect();
        format!("{} booking(s): {}", all.len(), lines.join(", "))
    });
    if let Some(s) = sandbox {
        let pages = s.server().requests().iter().filter(|r| r.path.ends_with("/bookings")).count();
        story.check("the stream fetched page after page", pages == 2, format!("{pages} page request(s)"));
    }

    // 6. Move it to the last free slot, confirm it, then cancel it.
    let moved =
        address_h.bookings().move_booking(&booking_id, MoveBooking::new(&service, later.start).duration(30)).await;
    let booking_id = match story.step("move the booking to the last free slot", moved, |b| {
        format!("booking {} now at {}", opt(b.id.as_ref()), opt(b.start_at.as_ref()))
    }) {
        // Docplanner may give the moved visit a new id: use the one it returns.
        Some(moved) => moved.id.unwrap_or(booking_id),
        None => booking_id,
    };
    let confirmed = address_h.bookings().confirm(&booking_id, ConfirmBooking::new(ConfirmedBy::Admin)).await;
    story.step("confirm it (by the facility)", confirmed, |()| "confirmed".to_owned());
    let canceled =
        address_h.bookings().cancel(&booking_id, CancelBooking::new().reason("Patient asked to cancel")).await;
    story.step("cancel it with a reason", canceled, |()| "canceled".to_owned());
    // Every handle method returns a `Call`: per-call options (here a timeout) and the response metadata.
    let after = address_h.bookings().get(&booking_id).timeout(Duration::from_secs(10)).send_with_meta().await;
    story.step("read it back (per-call timeout, with the response metadata)", after, |r| {
        let b = &r.data;
        format!(
            "HTTP {}: status {}, canceled by {}",
            r.meta.status,
            opt(b.status.as_ref()),
            opt(b.canceled_by.as_ref())
        )
    });

    // 7. The notification queue: each action above queued one. Pull one, then drain the rest as a stream.
    if let Some(s) = sandbox {
        s.expire_tokens();
        story.note("the sandbox expired every token: the next call renews it by itself");
    }
    let first = client.notifications().pull().await;
    story.step("pull one notification", first, |n| {
        n.as_ref().map_or_else(
            || "the queue is empty".to_owned(),
            |n| format!("{} (reply needed: {})", n.name, n.requires_reply()),
        )
    });
    let rest: Result<Vec<_>, _> = client.notifications().stream(10).try_collect().await;
    story.step("stream the rest of the queue", rest, |all| {
        let names: Vec<String> = all.iter().map(|n| n.name.to_string()).collect();
        format!("{} more: {}", all.len(), names.join(", "))
    });
    if let Some(s) = sandbox {
        story.check(
            "the queue is drained and the token was renewed once",
            s.notifications_queued() == 0 && s.tokens_issued() == 2,
            format!("{} queued, {} tokens issued", s.notifications_queued(), s.tokens_issued()),
        );
    }

    // 8. The latest rate-limit headers, as a snapshot (the client also paces itself: 40 writes per minute,
    //    8,000 reads per hour by default).
    let snapshot = client.rate_limit();
    story.check(
        "the last response carried rate-limit headers",
        snapshot.is_some(),
        snapshot.map_or_else(
            || "none".to_owned(),
            |rl| {
                format!(
                    "limit {}, remaining {}, resets in {}",
                    opt(rl.limit.as_ref()),
                    opt(rl.remaining.as_ref()),
                    rl.reset_after.map_or_else(|| "-".to_owned(), |d| format!("{}s", d.as_secs()))
                )
            },
        ),
    );
}
