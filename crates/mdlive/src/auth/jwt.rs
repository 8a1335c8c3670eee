//! Reading a token's lifetime from its JWT `exp` claim. MDLIVE's API token answer (`{"jwt": ...}`) carries
//! no lifetime of its own: the only clue is the `exp` claim of the JWT's payload. The payload is decoded
//! leniently (base64url with or without padding, no signature check: the token is MDLIVE's to verify), and a
//! token whose `exp` cannot be read gets a conservative default lifetime.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::Value;

/// The lifetime assumed for a token whose JWT has no readable `exp` (or an `exp` already past, which a
/// clock skew between MDLIVE and this machine can cause): five minutes. A token MDLIVE refuses earlier is
/// replaced on the 401.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// The `exp` claim (unix seconds) of a JWT, when its payload is readable: an integer, a float or a numeric
/// string. No signature is checked.
///
/// ```
/// use carewire::mdlive::auth::jwt_expiry;
///
/// // MDLIVE's example API token: `{"exp":1508269664,"aud":false,"sub":1}`.
/// let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJleHAiOjE1MDgyNjk2NjQsImF1ZCI6ZmFsc2UsInN1YiI6MX0.sig";
/// assert_eq!(jwt_expiry(jwt), Some(1_508_269_664));
/// assert_eq!(jwt_expiry("not-a-jwt"), None);
/// ```
pub fn jwt_expiry(jwt: &str) -> Option<i64> {
    let payload = jwt.trim().split('.').nth(1)?;
    let bytes = decode_segment(payload)?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    match claims.get("exp")? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| f as i64),
        _ => None,
    }
}

/// How long a JWT still lives according to its `exp`, measured against `now`; `None` when there is no
/// readable `exp` or it is not in the future.
pub(crate) fn remaining_lifetime(jwt: &str, now: SystemTime) -> Option<Duration> {
    let exp = u64::try_from(jwt_expiry(jwt)?).ok()?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    exp.checked_sub(now).filter(|s| *s > 0).map(Duration::from_secs)
}

/// The lifetime to cache a JWT for: what its `exp` says, else [`DEFAULT_TOKEN_LIFETIME`].
pub(crate) fn lifetime_of(jwt: &str) -> Duration {
    remaining_lifetime(jwt, SystemTime::now()).unwrap_or(DEFAULT_TOKEN_LIFETIME)
}

fn decode_segment(segment: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let s = segment.trim();
    [URL_SAFE_NO_PAD.decode(s), URL_SAFE.decode(s), STANDARD_NO_PAD.decode(s), STANDARD.decode(s)]
        .into_iter()
        .find_map(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt_with(payload: &str) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", engine.encode(r#"{"alg":"HS256"}"#), engine.encode(payload))
    }

    #[test]
    fn reads_exp_in_every_form() {
        assert_eq!(jwt_expiry(&jwt_with(r#"{"exp":1700000000}"#)), Some(1_700_000_000));
        assert_eq!(jwt_expiry(&jwt_with(r#"{"exp":1700000000.75}"#)), Some(1_700_000_000));
        assert_eq!(jwt_expiry(&jwt_with(r#"{"exp":"1700000000"}"#)), Some(1_700_000_000));
        // Padded base64url payloads decode too.
        let padded = format!("h.{}.s", base64::engine::general_purpose::URL_SAFE.encode(r#"{"exp":12}"#));
        assert_eq!(jwt_expiry(&padded), Some(12));
    }

    #[test]
    fn unreadable_payloads_give_none() {
        for jwt in
            ["", "a", "a.b", "a.!!!.c", &jwt_with("not json"), &jwt_with(r#"{"sub":1}"#), &jwt_with(r#"{"exp":null}"#)]
        {
            assert_eq!(jwt_expiry(jwt), None, "{jwt}");
        }
    }

    #[test]
    fn lifetime_comes_from_exp_or_the_default() {
        let now = SystemTime::now();
        let in_an_hour = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
        let jwt = jwt_with(&format!(r#"{{"exp":{in_an_hour}}}"#));
        let left = remaining_lifetime(&jwt, now).unwrap();
        assert!(left <= Duration::from_secs(3600) && left >= Duration::from_secs(3590), "{left:?}");
        // MDLIVE's example token expired in 2017: the default applies.
        assert_eq!(remaining_lifetime(&jwt_with(r#"{"exp":1508269664}"#), now), None);
        assert_eq!(lifetime_of(&jwt_with(r#"{"exp":1508269664}"#)), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(lifetime_of("opaque-token"), DEFAULT_TOKEN_LIFETIME);
    }
}
