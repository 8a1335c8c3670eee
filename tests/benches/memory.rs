//! Streaming memory: the peak heap while streaming 100,000 paginated Docplanner bookings (1,000 pages of 100,
//! `address.bookings().list(..).stream()`) against the peak heap of fetching and holding one page of them
//! (`.page(1).await`), through the same client. The target is at most two pages resident.
//!
//! ```sh
//! cargo bench -p carewire-tests --bench memory              # 5 rounds
//! cargo bench -p carewire-tests --bench memory -- --quick   # a short run (CI)
//! ```
//!
//! Heap is counted by a counting global allocator (`peak_alloc`), which counts every thread of the process:
//! so the server runs in a child process (this binary, started again with `CAREWIRE_BENCH_SERVE=1`) and
//! only the client's allocations are counted. A separate binary from `budget` so that the counter taxes none
//! of the timed rows.

#[path = "budget/report.rs"]
#[allow(dead_code)]
mod report;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use carewire::docplanner::{Client, ListBookingsExt as _};
use chrono::DateTime;
use futures_util::TryStreamExt;
use peak_alloc::PeakAlloc;
use report::{Row, Size, Target, print_table};
use serde_json::json;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

const PER_PAGE: usize = 100;

/// The child: a server answering the token request and every bookings page with the same page of
/// `PER_PAGE` bookings out of `pages`, until its stdin closes.
fn serve(pages: usize) {
    let booking = |i: usize| {
        json!({"id": format!("{}", 2_134_124 + i), "status": "booked", "start_at": "2021-05-16T14:00:00+01:00",
               "end_at": "2021-05-16T14:30:00+01:00", "duration": 30, "booked_by": "user", "canceled_by": "",
               "booked_at": "2021-05-12T12:00:00+01:00", "canceled_at": null, "comment": "comment",
               "insurance": {"id": "11", "name": "Axa", "plan": null, "plan_id": null},
               "patient": {"name": "Jan", "surname": "Kowalski", "email": "jan@example.com", "phone": "+48500500500",
                           "birth_date": "1980-01-01", "nin": "80010112345", "gender": "m"}})
    };
    let items: Vec<_> = (0..PER_PAGE).map(booking).collect();
    let page = json!({"_items": items, "page": 1, "limit": PER_PAGE, "pages": pages, "total": pages * PER_PAGE});
    let server = carewire_testkit::TestServer::start(move |req: &carewire_testkit::RecordedRequest| {
        if req.path.ends_with("/oauth/v2/token") {
            carewire_testkit::Reply::json(
                200,
                &json!({"access_token": "t", "expires_in": 3600, "token_type": "bearer"}),
            )
        } else {
            carewire_testkit::Reply::json(200, &page)
        }
    });
    println!("{}", server.uri());
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

/// Bytes allocated at the peak of `f` above what was allocated when it started.
async fn peak_of<T>(f: impl AsyncFnOnce() -> T) -> (f64, T) {
    let before = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let out = f().await;
    let peak = HEAP.peak_usage().saturating_sub(before);
    (peak as f64 / 1024.0, out)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let size = if quick { Size::Quick } else { Size::Full };
    let pages = size.pick(1_000, 20);
    if std::env::var_os("CAREWIRE_BENCH_SERVE").is_some() {
        serve(pages);
        return;
    }
    let mut child = Command::new(std::env::current_exe().expect("the bench binary's path"))
        .args(std::env::args().skip(1))
        .env("CAREWIRE_BENCH_SERVE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server child starts");
    let mut uri = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut uri).unwrap();
    let uri = uri.trim().to_owned();

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let row = rt.block_on(async {
        let client = Client::builder().base_url(&uri).credentials("bench", "bench-secret").build().unwrap();
        let bookings = client.facility("1").doctor("123").address("111").bookings();
        let start = DateTime::parse_from_rfc3339("2021-05-16T00:00:00+01:00").unwrap();
        let end = DateTime::parse_from_rfc3339("2021-05-23T00:00:00+01:00").unwrap();
        // Warm up: the token, the connection pool, the runtime's buffers.
        let first = bookings.list(start, end).per_page(PER_PAGE as u32).page(1).await.unwrap();
        assert_eq!(first.items.len(), PER_PAGE);
        drop(first);

        let total = pages * PER_PAGE;
        let mut row = Row::new(format!("streaming {total} items (peak heap)"), "KiB", Target::AtMost(2.0));
        for _ in 0..size.pick(5, 2) {
            let (one, page) =
                peak_of(async || bookings.list(start, end).per_page(PER_PAGE as u32).page(1).await.unwrap()).await;
            assert_eq!(page.items.len(), PER_PAGE);
            drop(page);
            let (streamed, count) = peak_of(async || {
                let mut stream = bookings.list(start, end).per_page(PER_PAGE as u32).stream();
                let mut count = 0usize;
                while let Some(booking) = stream.try_next().await.unwrap() {
                    std::hint::black_box(booking);
                    count += 1;
                }
                count
            })
            .await;
            assert_eq!(count, total, "every item streamed");
            row.push(one, streamed);
        }
        row
    });
    drop(child.stdin.take());
    let _ = child.wait();
    print_table(
        &format!("carewire streaming memory ({size}; baseline: one page of {PER_PAGE} fetched and held)"),
        &[row],
    );
}
