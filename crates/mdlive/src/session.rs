//! [`PatientSession`]: one signed-in patient. Its calls carry the patient's user token, which the client
//! keeps per patient id, extends before it expires and renews after a 401, for that patient alone.

use std::fmt;
use std::sync::Arc;

use carewire_core::operation::{Call, Operation};

use crate::Client;

/// A signed-in patient: from [`Client::sign_in`] or [`Client::resume_session`]. Owned, cheap to clone,
/// `Send + Sync`: move it into tasks freely.
///
/// The patient groups hang off it (`session.assessments()`, `session.scheduling()`, ...); any operation can
/// be sent with [`PatientSession::send`].
///
/// ```no_run
/// use carewire::mdlive::{Client, ListAssessmentAssignments};
///
/// # async fn run(client: Client, jwt: String) -> carewire::Result<()> {
/// let session = client.resume_session("52", jwt, std::time::Duration::from_secs(3600))?;
/// let assignments = session.send(ListAssessmentAssignments::new(session.patient_id())).await?;
/// # let _ = assignments; Ok(()) }
/// ```
#[derive(Clone)]
pub struct PatientSession {
    client: Client,
    patient_id: Arc<str>,
}

impl fmt::Debug for PatientSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatientSession").field("patient_id", &self.patient_id).finish_non_exhaustive()
    }
}

impl PatientSession {
    pub(crate) fn new(client: Client, patient_id: String) -> Self {
        Self { client, patient_id: patient_id.into() }
    }

    /// The MDLIVE patient id (the sign-in's `user.id`), the `{patient_id}` of every patient path.
    pub fn patient_id(&self) -> &str {
        &self.patient_id
    }

    /// The client this session belongs to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A call of any operation with this patient's token: a patient operation gets the user token, and an
    /// operation that accepts either token gets the user token too.
    pub fn send<O: Operation>(&self, operation: O) -> Call<O> {
        self.client.send(operation).subject(self.patient_id.to_string())
    }

    /// Whether the client holds this patient's identity, so that it can sign the patient in again once the
    /// token can no longer be extended (false for a session resumed from a token).
    pub fn can_sign_in_again(&self) -> bool {
        self.client.knows_identity(&self.patient_id)
    }

    /// Forgets the patient's token and identity. Later calls of this session (or its clones) fail until
    /// the patient is signed in again.
    pub fn sign_out(&self) {
        self.client.forget_session(&self.patient_id);
    }
}
