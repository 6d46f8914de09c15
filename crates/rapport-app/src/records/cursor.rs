//! Opaque list cursors: base64url of JSON holding the last row's sort key values and a
//! fingerprint of the sort, so a cursor from another ordering is refused rather than
//! silently returning the wrong page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_core::query::{ListQuery, QueryError};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

fn fingerprint(q: &ListQuery) -> String {
    let mut h = Sha256::new();
    for k in &q.sort {
        h.update(k.target.name().as_bytes());
        h.update(if k.descending { b"-" } else { b"+" });
    }
    h.update(if q.q.is_some() { b"q" } else { b"-" });
    let digest = h.finalize();
    URL_SAFE_NO_PAD.encode(&digest[..6])
}

pub fn encode(q: &ListQuery, keys: &[Json]) -> String {
    URL_SAFE_NO_PAD.encode(json!({"s": fingerprint(q), "k": keys}).to_string())
}

pub fn decode(raw: Option<&str>, q: &ListQuery) -> AppResult<Option<Vec<Json>>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let bad = || {
        AppError::BadQuery(QueryError {
            parameter: "cursor".into(),
            message: "is not a cursor of this list (with this sort); start again without it".into(),
        })
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let value: Json = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if value.get("s").and_then(Json::as_str) != Some(fingerprint(q).as_str()) {
        return Err(bad());
    }
    let keys = value
        .get("k")
        .and_then(Json::as_array)
        .cloned()
        .ok_or_else(bad)?;
    Ok(Some(keys))
}
