//! MDLIVE patient sessions across replicas: a patient signed in through one client is served by another
//! (same Redis) without a second sign-in, and the API token is fetched once for both; MyMedic replicas share
//! one OAuth2 token.

mod common;

use carewire_mdlive::{Client, Gender, PatientIdentity, Relationship};
use carewire_testkit::mdlive::{API_KEY, API_PASSWORD, OU, Sandbox};
use common::Redis;

fn patient() -> PatientIdentity {
    PatientIdentity::new("Ada", "Lovelace")
        .gender(Gender::Female)
        .birthdate(chrono::NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
        .subscriber_id("REPLICA-1")
        .member_id("M-1")
        .phone("555-555-5555")
        .email("ada@example.com")
        .address("1 Main St", "Sunrise", "FL", "33303")
        .relationship(Relationship::Primary)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_signed_in_on_one_replica_is_used_by_another_without_a_new_sign_in() {
    let redis = redis_or_skip!(Redis::shared());
    let sandbox = Sandbox::start();
    let prefix = common::unique_prefix();
    let replica = || {
        Client::builder()
            .api_key(API_KEY)
            .password(API_PASSWORD)
            .ou(OU)
            .base_url(sandbox.base_url())
            .shared_state(redis.builder().prefix(prefix.clone()).build().unwrap())
            .build()
            .unwrap()
    };
    let (a, b) = (replica(), replica());

    let session = a.sign_in(patient()).await.unwrap();
    let patient_id: u64 = session.patient_id().parse().unwrap();
    session.assessments().assignments().await.unwrap();

    // Replica B opens the same patient's session by id: the token comes from Redis.
    let elsewhere = b.session(session.patient_id());
    elsewhere.assessments().assignments().await.unwrap();
    assert_eq!(sandbox.sign_ins(patient_id), 1, "no second sign-in");
    assert_eq!(sandbox.user_tokens_issued(), 1);

    // Catalogue calls on both replicas share one API token.
    a.assessments().list().await.unwrap();
    b.assessments().list().await.unwrap();
    assert_eq!(sandbox.api_tokens_issued(), 1);

    // A replica that shares nothing has no token for the patient: refused before anything is sent.
    let alone =
        Client::builder().api_key(API_KEY).password(API_PASSWORD).ou(OU).base_url(sandbox.base_url()).build().unwrap();
    assert!(alone.session(session.patient_id()).assessments().assignments().await.is_err());
    assert_eq!(sandbox.sign_ins(patient_id), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mymedic_replicas_fetch_one_oauth2_token_between_them() {
    use carewire_testkit::mymedic::Sandbox as MyMedicSandbox;
    let redis = redis_or_skip!(Redis::shared());
    let sandbox = MyMedicSandbox::start();
    let prefix = common::unique_prefix();
    let replicas: Vec<carewire_mymedic::Client> = (0..3)
        .map(|_| {
            carewire_mymedic::Client::builder()
                .base_url(sandbox.base_url())
                .client_credentials(MyMedicSandbox::CLIENT_ID, MyMedicSandbox::CLIENT_SECRET)
                .token_url(sandbox.token_url())
                .shared_state(redis.builder().prefix(prefix.clone()).build().unwrap())
                .build()
                .unwrap()
        })
        .collect();
    for client in &replicas {
        client.programs().list(carewire_mymedic::ListHealthPrograms::new()).await.unwrap();
    }
    assert_eq!(sandbox.tokens_issued(), 1, "one token for three replicas");
}
