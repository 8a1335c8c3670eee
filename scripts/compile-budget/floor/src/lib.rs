//! The dependency floor of `scripts/compile-budget.sh`: one typed JSON call, so every dependency is compiled
//! and used the way an API client uses it.

use serde::{Deserialize, Serialize};

/// A resource, decoded from JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    /// Its id.
    pub id: String,
    /// Its status.
    pub status: Option<String>,
}

/// GET `url` and decode it, with a timeout.
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<Resource, Box<dyn std::error::Error>> {
    let response = tokio::time::timeout(std::time::Duration::from_secs(30), client.get(url).send()).await??;
    let body = response.bytes().await?;
    Ok(serde_json::from_slice(&body)?)
}
