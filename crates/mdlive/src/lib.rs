//! # carewire-mdlive
//!
//! A typed async client for the [MDLIVE](https://www.mdlive.com) API: US telehealth scheduling, patient
//! records, messages and payments. Part of [carewire](https://docs.rs/carewire); built on [`carewire_core`].
//!
//! - [`Client::from_env`] reads `MDLIVE_API_KEY`, `MDLIVE_API_PASSWORD`, `MDLIVE_OU`, `MDLIVE_BASE_URL` (MDLIVE
//!   documents only a `{server}` placeholder, so the base URL is required) and, optionally,
//!   `MDLIVE_ENTERPRISE_SECRET`.
//! - **Two kinds of token, handled for you.** The client's API token (`POST /auth/auth_token`, lifetime read
//!   from the JWT's `exp`) is fetched once, reused and renewed; a patient's user token comes from
//!   [`Client::sign_in`], and the [`PatientSession`] it returns carries it on every call, extends it
//!   (`auth_extend`) before it expires, signs the patient in again when it can no longer be extended, with a
//!   single flight per patient, and a 401 renews that patient's token alone.
//! - **Which token a call uses** is part of each operation's [`Spec`](carewire_core::operation::Spec): a
//!   patient path takes the user token, catalogue calls the API token, and the few that accept either take
//!   the session's when sent through a session.
//! - The enterprise hash of a sign-in ([`auth::enterprise_hash`]) is computed from the shared secret in the
//!   form of MDLIVE's example (configurable), or a fixed hash is sent as is.
//! - Errors: MDLIVE documents no error body; [`MdliveError`] reads the likely shapes.
//! - [`webhooks::parse`]: typed events, wrapped in [`Unverified`](carewire_core::webhook::Unverified) since
//!   MDLIVE signs nothing.
//!
//! ```no_run
//! use carewire::mdlive::{AppointmentMethod, Client, Gender, NewAppointment, PatientIdentity, ProviderSearch, Relationship};
//! use chrono::NaiveDate;
//!
//! # async fn run() -> carewire::Result<()> {
//! let client = Client::from_env()?;
//! let session = client
//!     .sign_in(
//!         PatientIdentity::new("Ada", "Lovelace")
//!             .gender(Gender::Female)
//!             .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
//!             .subscriber_id("SUB-1001")
//!             .member_id("M-1001")
//!             .phone("555-555-5555")
//!             .address("1 Main St", "Sunrise", "FL", "33303")
//!             .relationship(Relationship::Primary),
//!     )
//!     .await?;
//! let page = session.scheduling().search_providers(ProviderSearch::new("FL")).await?;
//! let appointment = NewAppointment::first_available(3, "FL")
//!     .appointment_method(AppointmentMethod::Video)
//!     .chief_complaint("Sore throat")
//!     .survey_answer("Emergency Room")
//!     .customer_call_in_number("5555555555")
//!     .consent("AL");
//! let created = session.scheduling().create_appointment(appointment).await?;
//! println!("{} providers; appointment {:?}", page.providers.len(), created.id);
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod client;
mod error;
mod session;
mod wire;

mod assessments;
mod scheduling;
mod webhook_registration;
pub mod webhooks;

// Operation groups #11-#36 (MD2) and #37-#69 (MD3) add their modules here.
// #11-#36:
mod after_care;
mod allergies;
mod alternate_visits;
mod appointment_requests;
mod appointments;
mod behavioral;
mod chief_complaints;
mod consultation_summary;
mod documents;
mod health_conditions;
mod health_history;
mod insurance;
mod pediatric;
// #37-#69:
mod clinical_concepts;
mod conversations;
mod medical_conditions;
mod medications;
mod messages;
mod patients;
mod payments;
mod pcp;
mod pcp_questions;
mod pharmacies;
mod prescriptions;
mod surgeries;

pub use after_care::{AfterCare, AfterCareInstruction, GetAfterCareInstructions};
pub use allergies::{
    Allergies, Allergy, AllergyCatalog, AllergyMatch, AllergySeverity, CreateAllergy, DeleteAllergy,
    DeleteAllergyByFdbId, ListAllergies, MAX_REACTION_CHARS, NewAllergy, SearchAllergies,
};
pub use alternate_visits::{AlternateVisitOptions, AlternateVisits, ListAlternateVisitOptions};
pub use appointment_requests::{
    AppointmentRequest, AppointmentRequests, CancelAppointmentRequest, Confirmation, CreateAppointmentRequest,
    NewAppointmentRequest, PreferredTime, RemindAppointmentRequest, RequestedVisitMethod,
};
pub use appointments::{
    AppointmentProvider, Appointments, ArrivalMethod, CancelAppointment, ConnectionParams, EnteredWaitingRoom,
    GetConnectionParams, ListUpcomingAppointments, UpcomingAppointment, WaitInfo,
};
pub use assessments::{
    Assessment, AssessmentAssignment, AssessmentOption, AssessmentQuestion, AssessmentResponse, AssessmentResults,
    AssessmentSummary, Assessments, CreateAssessmentResponse, GetAssessment, ListAssessmentAssignments,
    ListAssessments, PatientAssessments,
};
pub use auth::{
    CreateApiToken, CreateUserToken, EnterpriseHash, EnterpriseHashForm, ExtendUserToken, Gender, PatientIdentity,
    Relationship,
};
pub use behavioral::{
    BehavioralCondition, BehavioralHistories, BehavioralHistory, BehavioralReason, ConditionEntry,
    CounselingPreference, CreateBehavioralHistory, GetBehavioralHistory, NewBehavioralHistory, ReasonEntry,
};
pub use chief_complaints::{ChiefComplaint, ChiefComplaints, ComplaintLanguage, SearchChiefComplaints};
pub use client::{Client, ClientBuilder, ENV_API_KEY, ENV_API_PASSWORD, ENV_BASE_URL, ENV_ENTERPRISE_SECRET, ENV_OU};
pub use clinical_concepts::{ClinicalConcept, ClinicalConcepts, SearchClinicalConcepts};
pub use consultation_summary::{ConsultationSummaries, ConsultationSummary, GetConsultationSummary};
pub use conversations::{Contact, Conversation, GetConversation, ListContacts, ListConversations, MessageAuthor};
pub use documents::{
    CreateDocument, CustomerDocument, DeleteDocument, Documents, GetDocument, ListDocuments, NewDocument, RecordType,
};
pub use error::{MdliveError, SHAPE};
pub use health_conditions::{
    GetHealthConditions, HealthConditions, HealthReport, PatientPhoto, PersonalInfo, PhotoVersion, SurgeryTaken,
};
pub use health_history::{
    CreateHealthHistory, HealthHistory, HistoryCondition, HistoryMedication, HistorySurgery, MedicalHistory,
    NewHealthHistory, PersonalInformation,
};
pub use insurance::{
    CreateInsurance, EligibilityError, Insurance, InsuranceDetails, InsurancePayer, InsurancePayers, Insurances,
    ListInsurancePayers, PrimarySubscriber,
};
pub use medical_conditions::{
    CreateMedicalCondition, DeleteMedicalCondition, ListMedicalConditions, MedicalCondition, MedicalConditions,
    NewMedicalCondition, PatientMedicalCondition,
};
pub use medications::{
    CreateMedication, DeleteMedication, DeleteMedicationByNdc, ListMedications, Medication, MedicationCatalog,
    MedicationMatch, Medications, NewMedication, SearchMedications,
};
pub use messages::{
    CreateMessage, DEFAULT_PER, ListSystemMessages, MarkMessageRead, Message, MessagePagesExt, MessageType, Messages,
    NewMessage, SystemMessages,
};
pub use patients::{
    Affiliation, FamilyMember, GetPatient, PatientProfile, PatientUpdate, Patients, StateRef, UpdatePatient, UserStatus,
};
pub use payments::{
    BillingAddress, CardBilling, CardDetails, CardSummary, CheckCost, Cost, CostCheck, CreditCard, CreditCards,
    DeleteCreditCard, GetCreditCard, NewCreditCard, Payments, SaveCreditCard,
};
pub use pcp::{CreatePcp, DeletePcp, GetPcp, Pcp, PcpDetails, PrimaryCarePhysician, UpdatePcp};
pub use pcp_questions::{GetPcpQuestions, PcpAnswer, PcpQuestion, PcpQuestionName, PcpQuestions, UpdatePcpQuestions};
pub use pediatric::{PediatricKeys, PediatricProfile};
pub use pharmacies::{Coordinates, Pharmacies, Pharmacy, PharmacySearch, SearchPharmacies};
pub use prescriptions::{GetPrescription, Prescription, Prescriptions};
pub use scheduling::{
    AppointmentMethod, AvailabilityDetails, AvailabilityType, AvailableHour, CreateAppointment, CreatedAppointment,
    DEFAULT_PROVIDERS_PER_PAGE, GetProviderProfile, Language, License, NewAppointment, ProviderDetails, ProviderGender,
    ProviderProfile, ProviderSearch, ProviderSearchResult, ProviderSummary, ProviderType, Providers,
    RefineSearchOptions, Scheduling, SearchProviders, Specialty,
};
pub use session::PatientSession;
pub use surgeries::{
    CreateSurgery, DeleteSurgery, ListSurgeries, ListSurgeryNames, NewSurgery, Surgeries, Surgery, SurgeryCatalog,
    SurgeryName,
};
pub use webhook_registration::{RegisterWebhook, Webhook, WebhookRegistration};

pub use carewire_core::operation::Call;
pub use carewire_core::{Error, Result};

/// The vendor name errors and traces carry (`ApiError::vendor`, the `vendor` span field).
pub const VENDOR: &str = "mdlive";

/// Every MDLIVE operation, as data: method, path, name, credential scope and retry safety. The tests check
/// it against the list of endpoints the SDK must cover.
///
/// ```
/// use carewire::core::operation::Scope;
///
/// let register = carewire::mdlive::OPERATIONS.iter().find(|s| s.name == "webhooks.register").unwrap();
/// assert_eq!(register.scope, Scope::Client);
/// ```
pub const OPERATIONS: &[carewire_core::operation::Spec] = {
    use carewire_core::operation::Operation;
    &[
        // Authentication (#1-#3), scheduling (#4-#6), assessments (#7-#10), webhook registration (#70).
        <CreateApiToken as Operation>::SPEC,
        <CreateUserToken as Operation>::SPEC,
        <ExtendUserToken as Operation>::SPEC,
        <SearchProviders as Operation>::SPEC,
        <GetProviderProfile as Operation>::SPEC,
        <CreateAppointment as Operation>::SPEC,
        <ListAssessments as Operation>::SPEC,
        <GetAssessment as Operation>::SPEC,
        <ListAssessmentAssignments as Operation>::SPEC,
        <CreateAssessmentResponse as Operation>::SPEC,
        <RegisterWebhook as Operation>::SPEC,
        // #11-#36 (MD2):
        <GetAfterCareInstructions as Operation>::SPEC,
        <CreateAllergy as Operation>::SPEC,
        <DeleteAllergy as Operation>::SPEC,
        <DeleteAllergyByFdbId as Operation>::SPEC,
        <ListAllergies as Operation>::SPEC,
        <SearchAllergies as Operation>::SPEC,
        <ListAlternateVisitOptions as Operation>::SPEC,
        <CancelAppointment as Operation>::SPEC,
        <ListUpcomingAppointments as Operation>::SPEC,
        <EnteredWaitingRoom as Operation>::SPEC,
        <GetConnectionParams as Operation>::SPEC,
        <CreateAppointmentRequest as Operation>::SPEC,
        <CancelAppointmentRequest as Operation>::SPEC,
        <RemindAppointmentRequest as Operation>::SPEC,
        <CreateBehavioralHistory as Operation>::SPEC,
        <GetBehavioralHistory as Operation>::SPEC,
        <SearchChiefComplaints as Operation>::SPEC,
        <GetConsultationSummary as Operation>::SPEC,
        <CreateDocument as Operation>::SPEC,
        <DeleteDocument as Operation>::SPEC,
        <ListDocuments as Operation>::SPEC,
        <GetDocument as Operation>::SPEC,
        <GetHealthConditions as Operation>::SPEC,
        <CreateHealthHistory as Operation>::SPEC,
        <ListInsurancePayers as Operation>::SPEC,
        <CreateInsurance as Operation>::SPEC,
        // #37-#69 (MD3):
        <SearchClinicalConcepts as Operation>::SPEC,
        <CreateMedicalCondition as Operation>::SPEC,
        <DeleteMedicalCondition as Operation>::SPEC,
        <ListMedicalConditions as Operation>::SPEC,
        <CreateMedication as Operation>::SPEC,
        <DeleteMedication as Operation>::SPEC,
        <DeleteMedicationByNdc as Operation>::SPEC,
        <ListMedications as Operation>::SPEC,
        <SearchMedications as Operation>::SPEC,
        <ListSystemMessages as Operation>::SPEC,
        <ListContacts as Operation>::SPEC,
        <ListConversations as Operation>::SPEC,
        <GetConversation as Operation>::SPEC,
        <CreateMessage as Operation>::SPEC,
        <MarkMessageRead as Operation>::SPEC,
        <GetPatient as Operation>::SPEC,
        <UpdatePatient as Operation>::SPEC,
        <CheckCost as Operation>::SPEC,
        <GetCreditCard as Operation>::SPEC,
        <SaveCreditCard as Operation>::SPEC,
        <DeleteCreditCard as Operation>::SPEC,
        <SearchPharmacies as Operation>::SPEC,
        <GetPrescription as Operation>::SPEC,
        <GetPcp as Operation>::SPEC,
        <CreatePcp as Operation>::SPEC,
        <UpdatePcp as Operation>::SPEC,
        <DeletePcp as Operation>::SPEC,
        <GetPcpQuestions as Operation>::SPEC,
        <UpdatePcpQuestions as Operation>::SPEC,
        <CreateSurgery as Operation>::SPEC,
        <DeleteSurgery as Operation>::SPEC,
        <ListSurgeries as Operation>::SPEC,
        <ListSurgeryNames as Operation>::SPEC,
    ]
};
