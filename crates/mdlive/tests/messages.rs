//! Messages: system messages and a conversation (paginated with `page`/`per`), contacts, conversations,
//! create and mark read, through the conformance helper and a paging test server.

mod common;

use carewire_core::Error;
use carewire_mdlive::{GetConversation, ListSystemMessages, MessageAuthor, MessagePagesExt, NewMessage};
use carewire_testkit::conformance::exchange;
use carewire_testkit::{RecordedRequest, Reply, TestServer};
use common::*;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn system_wire_and_decode() {
    let ex = exchange(
        |base| session(base).messages().system().page(1).per(5),
        200,
        fixture("messages_system_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/messages/system")
        .assert_query(&[("page", "1"), ("per", "5")])
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let page = ex.output();
    assert_eq!(page.unread, Some(25));
    assert_eq!(page.messages.len(), 5);
    let m = &page.messages[0];
    assert_eq!(m.id, "99");
    assert_eq!((m.from_id.as_deref(), m.to_id.as_deref()), (Some("2"), Some("3")));
    assert_eq!(m.from.as_deref(), Some("System Controller"));
    assert_eq!(m.subject.as_deref(), Some("Appointment Scheduled"));
    assert_eq!((m.unread_status, m.replied_to_message_id.as_ref()), (Some(true), None));
    assert_eq!(
        m.date_time.as_ref().and_then(carewire_core::de::LenientDateTime::parse).unwrap().to_rfc3339(),
        "2018-01-10T00:42:57+00:00"
    );
    assert_eq!(page.messages[2].unread_status, Some(false));
    let debug = format!("{page:?}");
    assert!(!debug.contains("Travis") && !debug.contains("Test Marino"), "{debug}");
}

#[tokio::test]
async fn system_without_options_sends_no_query() {
    let ex = exchange(|base| session(base).messages().system(), 200, br#"{"messages": []}"#).await;
    ex.assert_query(&[]);
    assert_eq!(ex.output().unread, None);
}

#[tokio::test]
async fn contacts_wire_and_decode() {
    let ex = exchange(
        |base| session(base).messages().contacts(),
        200,
        fixture("messages_contacts_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/messages/contacts")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let contacts = ex.output();
    assert_eq!(contacts.len(), 3);
    assert_eq!(contacts[0].id, "35");
    assert_eq!(contacts[0].prefix, None, "a blank prefix is no prefix");
    assert_eq!(contacts[1].prefix, None);
    assert_eq!(contacts[0].fullname.as_deref(), Some("demoprovider1 demoprovider1"));
    assert_eq!(contacts[0].photo_url.as_deref(), Some("/users/35/photo"));
    assert_eq!(contacts[2].specialty.as_deref(), Some("General Practice"));
}

#[tokio::test]
async fn conversations_wire_and_decode() {
    let ex = exchange(
        |base| session(base).messages().conversations(),
        200,
        fixture("messages_conversations_list.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v2/patients/52/messages/conversations").assert_header("authorization", USER_AUTH);
    let list = ex.output();
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].provider.id.as_str(), list[0].unread_messages), ("37", None));
    assert_eq!(list[0].last_message_by, Some(MessageAuthor::Patient));
    assert_eq!((list[1].provider.prefix.as_deref(), list[1].unread_messages), (Some("DR"), Some(2)));
    assert_eq!(list[1].last_message_by, Some(MessageAuthor::Provider));
    let at = list[1].last_message_at.as_ref().and_then(carewire_core::de::LenientDateTime::parse).unwrap();
    assert_eq!(at.to_rfc3339(), "2018-01-23T08:50:39-05:00");
    assert!(!format!("{:?}", list[1]).contains("600mg"));
}

#[tokio::test]
async fn conversation_wire_and_decode() {
    let ex = exchange(
        |base| session(base).messages().conversation("4").page(2).per(3),
        200,
        fixture("messages_conversation_get.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("GET", "/api/v1/patients/52/providers/4/conversation")
        .assert_query(&[("page", "2"), ("per", "3")])
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    let messages = ex.output();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0].id, "106");
    assert_eq!((messages[0].reply_allowed, messages[1].reply_allowed), (Some(true), Some(false)));
    assert_eq!(messages[1].from.as_deref(), Some("Test Marino"));
}

#[tokio::test]
async fn create_wire_and_decode() {
    let wanted = fixture_json("messages_create.request.json");
    let body = wanted["message"]["message"].as_str().unwrap().to_owned();
    let ex = exchange(
        |base| session(base).messages().create(NewMessage::follow_up("4", "Prescription", body).reply_to("104")),
        200,
        fixture("messages_create.response.json").as_bytes(),
    )
    .await;
    ex.assert_wire("POST", "/api/v1/patients/52/messages")
        .assert_header("authorization", USER_AUTH)
        .assert_json_body(&wanted);
    assert_eq!(ex.attempts, 1);
    let sent = ex.output();
    assert_eq!(sent.id, "105");
    assert_eq!(sent.replied_to_message_id.as_deref(), Some("104"));
    assert_eq!(sent.to.as_deref(), Some("Travis C Stork"));
}

#[tokio::test]
async fn mark_read_wire() {
    let ex = exchange(|base| session(base).messages().mark_read("106"), 204, b"").await;
    ex.assert_wire("PUT", "/api/v1/patients/52/messages/106/mark_read")
        .assert_header("authorization", USER_AUTH)
        .assert_no_body();
    ex.output();
}

/// A server whose system messages and conversation hold `total` messages, answering `page`/`per`.
fn paging_server(total: usize) -> TestServer {
    TestServer::start(move |req: &RecordedRequest| {
        let q = req.query_pairs();
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.parse::<usize>().unwrap());
        let (page, per) = (get("page").unwrap(), get("per").unwrap());
        let ids: Vec<Value> = (((page - 1) * per)..(page * per).min(total))
            .map(|i| json!({"id": i + 1, "unread_status": true}))
            .collect();
        Reply::json(200, &json!({"messages": ids, "unread": total}))
    })
}

fn pages_asked(server: &TestServer) -> Vec<Vec<(String, String)>> {
    server.requests().iter().map(RecordedRequest::query_pairs).collect()
}

fn q(page: &str, per: &str) -> Vec<(String, String)> {
    vec![("page".into(), page.into()), ("per".into(), per.into())]
}

#[tokio::test]
async fn system_messages_stream_and_stop_on_a_short_page() {
    let server = paging_server(5);
    let all: Vec<_> = session(&server.uri()).messages().system().per(2).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(pages_asked(&server), vec![q("1", "2"), q("2", "2"), q("3", "2")]);
    assert!(server.requests().iter().all(|r| r.header("authorization") == Some(USER_AUTH)));
}

#[tokio::test]
async fn system_messages_stop_on_an_empty_page() {
    let server = paging_server(4);
    let all: Vec<_> =
        session(&server.uri()).send(ListSystemMessages::new("52").per(2)).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(pages_asked(&server), vec![q("1", "2"), q("2", "2"), q("3", "2")], "page 3 is empty: stop");
}

#[tokio::test]
async fn system_messages_collect_max_fetches_no_page_past_it() {
    let server = paging_server(100);
    let first = session(&server.uri()).messages().system().per(10).collect_max(15).await.unwrap();
    assert_eq!(first.len(), 15);
    assert_eq!(pages_asked(&server), vec![q("1", "10"), q("2", "10")]);
    // Without a size the stream asks for 25 a page.
    let server = paging_server(30);
    let all = session(&server.uri()).messages().system().collect_max(1000).await.unwrap();
    assert_eq!(all.len(), 30);
    assert_eq!(pages_asked(&server), vec![q("1", "25"), q("2", "25")]);
}

#[tokio::test]
async fn conversation_streams_from_the_page_asked_and_stops_on_a_short_page() {
    let server = paging_server(7);
    let s = session(&server.uri());
    let rest: Vec<_> = s.messages().conversation("4").page(2).per(3).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = rest.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["4", "5", "6", "7"]);
    assert_eq!(pages_asked(&server), vec![q("2", "3"), q("3", "3")]);
    assert!(server.requests().iter().all(|r| r.path == "/api/v1/patients/52/providers/4/conversation"));
    server.reset_log();
    let two = s.send(GetConversation::new("52", "4").per(3)).collect_max(2).await.unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(pages_asked(&server), vec![q("1", "3")]);
}

#[tokio::test]
async fn conversation_stops_on_an_empty_page() {
    let server = paging_server(6);
    let all: Vec<_> = session(&server.uri()).messages().conversation("4").per(3).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(pages_asked(&server), vec![q("1", "3"), q("2", "3"), q("3", "3")]);
}

#[tokio::test]
async fn a_2xx_without_the_wrapper_is_an_error() {
    for body in [&br#"[{"id": 1}]"#[..], b"{}", b"", b"<html></html>", br#"{"messages": [{"subject": "no id"}]}"#] {
        let ex = exchange(|base| session(base).messages().system(), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
        let ex = exchange(|base| session(base).messages().conversation("4"), 200, body).await;
        assert!(matches!(ex.output, Err(Error::Decode(_))), "{:?}", String::from_utf8_lossy(body));
    }
    let ex = exchange(|base| session(base).messages().contacts(), 200, br#"{"providers": []}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
    let ex = exchange(|base| session(base).messages().conversations(), 200, br#"{"conversations": [{}]}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))), "a conversation without its provider");
    let new = || NewMessage::follow_up("4", "Hi", "Hello");
    let ex = exchange(|base| session(base).messages().create(new()), 200, br#"{"id": 105}"#).await;
    assert!(matches!(ex.output, Err(Error::Decode(_))));
}

#[tokio::test]
async fn invalid_messages_are_refused_before_sending() {
    let server = silent_server();
    let s = session(&server.uri());
    let err = s.messages().create(NewMessage::follow_up("dr-4", "Hi", "Hello")).await.unwrap_err();
    assert_invalid(&err, "message.to_id");
    let err = s.messages().create(NewMessage::follow_up("4", " ", "Hello")).await.unwrap_err();
    assert_invalid(&err, "message.subject");
    let err = s.messages().create(NewMessage::follow_up("4", "Hi", "")).await.unwrap_err();
    assert_invalid(&err, "message.message");
    let err = s.messages().create(NewMessage::follow_up("4", "Hi", "Hello").reply_to("x")).await.unwrap_err();
    assert_invalid(&err, "message.replied_to_message_id");
    let err = s.messages().system().page(0).await.unwrap_err();
    assert_invalid(&err, "page");
    let err = s.messages().conversation("4").per(0).await.unwrap_err();
    assert_invalid(&err, "per");
    let err = s.messages().mark_read("").await.unwrap_err();
    assert_invalid(&err, "message_id");
    assert_eq!(server.received_total(), 0);
}

/// A server for calls that must be refused before sending: it should see no request.
fn silent_server() -> carewire_testkit::TestServer {
    carewire_testkit::TestServer::start(|_req: &carewire_testkit::RecordedRequest| carewire_testkit::Reply::status(500))
}

/// Asserts `err` is the refusal of an invalid parameter naming `field`.
#[track_caller]
fn assert_invalid(err: &Error, field: &str) {
    assert!(matches!(err, Error::InvalidRequest { field: f, .. } if f == field), "expected `{field}`: {err:?}");
}
