//! Bearer secrets: API tokens and session cookies.
//!
//! Both carry the workspace id in clear beside 256 random bits, so the server can find the
//! row with a lookup keyed by workspace (sharding-friendly, DESIGN §2) and compare only a
//! hash. The random part is generated outside this crate and passed in; only its SHA-256 is
//! stored, so a leaked database does not leak usable credentials.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::id::{Id, WorkspaceId};

pub const API_TOKEN_PREFIX: &str = "rpt_";
pub const SECRET_BYTES: usize = 32;
const ENCODED_LEN: usize = 64; // base64url of 16 + 32 bytes

#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    workspace_id: WorkspaceId,
    secret: [u8; SECRET_BYTES],
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("workspace_id", &self.workspace_id)
            .field("secret", &"***")
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed credential")]
pub struct MalformedCredential;

impl Credential {
    pub fn new(workspace_id: WorkspaceId, secret: [u8; SECRET_BYTES]) -> Self {
        Self {
            workspace_id,
            secret,
        }
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    /// The value stored in the database.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.secret).into()
    }

    pub fn to_api_token(&self) -> String {
        format!("{API_TOKEN_PREFIX}{}", self.encode())
    }

    pub fn parse_api_token(input: &str) -> Result<Self, MalformedCredential> {
        let body = input
            .strip_prefix(API_TOKEN_PREFIX)
            .ok_or(MalformedCredential)?;
        Self::decode(body)
    }

    pub fn to_cookie_value(&self) -> String {
        self.encode()
    }

    pub fn parse_cookie_value(input: &str) -> Result<Self, MalformedCredential> {
        Self::decode(input)
    }

    fn encode(&self) -> String {
        let mut raw = [0u8; 16 + SECRET_BYTES];
        raw[..16].copy_from_slice(self.workspace_id.as_uuid().as_bytes());
        raw[16..].copy_from_slice(&self.secret);
        URL_SAFE_NO_PAD.encode(raw)
    }

    fn decode(body: &str) -> Result<Self, MalformedCredential> {
        if body.len() != ENCODED_LEN {
            return Err(MalformedCredential);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| MalformedCredential)?;
        let (ws, secret) = raw.split_at_checked(16).ok_or(MalformedCredential)?;
        let ws: [u8; 16] = ws.try_into().map_err(|_| MalformedCredential)?;
        let secret: [u8; SECRET_BYTES] = secret.try_into().map_err(|_| MalformedCredential)?;
        Ok(Self {
            workspace_id: WorkspaceId::from_uuid(Uuid::from_bytes(ws)),
            secret,
        })
    }
}

/// The last characters of a token, kept so users can tell their tokens apart in a list.
pub fn token_hint(token: &str) -> String {
    let tail: String = token
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{API_TOKEN_PREFIX}…{tail}")
}

/// Encodes random bytes as a CSRF token.
pub fn csrf_token(random: [u8; SECRET_BYTES]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

/// Compares a submitted secret with the expected one without leaking, through timing, how
/// many leading characters matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// The CSRF token as one response carries it: a fresh random `pad`, then the token's bytes
/// XOR the pad, base64url. The session's token never appears as such in a page, so no two
/// pages carry the same secret bytes: a compressed page that holds a constant secret beside
/// text an attacker chose leaks the secret through its size (BREACH). A token that is not
/// one of ours is returned as is, which no check accepts masked.
pub fn mask_csrf(token: &str, pad: [u8; SECRET_BYTES]) -> String {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(token) else {
        return token.to_owned();
    };
    let mut out = Vec::with_capacity(2 * raw.len());
    out.extend_from_slice(&pad[..raw.len().min(SECRET_BYTES)]);
    out.extend(raw.iter().zip(pad).map(|(b, p)| b ^ p));
    URL_SAFE_NO_PAD.encode(out)
}

/// Whether a submitted CSRF token is the session's `token`: masked by [`mask_csrf`] (pages)
/// or as issued (API clients send the one the session endpoint returned). Constant-time in
/// the secret's bytes.
pub fn csrf_matches(sent: &str, token: &str) -> bool {
    if sent.len() == token.len() {
        return constant_time_eq(sent.as_bytes(), token.as_bytes());
    }
    let (Ok(masked), Ok(raw)) = (URL_SAFE_NO_PAD.decode(sent), URL_SAFE_NO_PAD.decode(token))
    else {
        return false;
    };
    if raw.is_empty() || masked.len() != 2 * raw.len() {
        return false;
    }
    let (pad, body) = masked.split_at(raw.len());
    let unmasked: Vec<u8> = body.iter().zip(pad).map(|(b, p)| b ^ p).collect();
    constant_time_eq(&unmasked, &raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ws() -> WorkspaceId {
        WorkspaceId::from_uuid(Uuid::from_u128(42))
    }

    #[test]
    fn a_masked_csrf_token_matches_only_its_own_token() {
        let token = csrf_token([9; SECRET_BYTES]);
        let other = csrf_token([8; SECRET_BYTES]);
        let masked = mask_csrf(&token, [200; SECRET_BYTES]);
        assert_ne!(masked, token);
        assert!(!masked.contains(&token));
        let cases: &[(&str, &str, bool)] = &[
            (&masked, &token, true),
            (&token, &token, true),
            (&masked, &other, false),
            (&other, &token, false),
            ("", &token, false),
            (&masked[1..], &token, false),
            (&masked[..43], &token, false),
            ("!!not base64!!", &token, false),
            (&mask_csrf(&other, [200; SECRET_BYTES]), &token, false),
        ];
        for (sent, expected, want) in cases {
            assert_eq!(csrf_matches(sent, expected), *want, "{sent} vs {expected}");
        }
        // An unmasked token of ours padded with zeros is itself, doubled: still only ours.
        assert!(csrf_matches(&mask_csrf(&token, [0; SECRET_BYTES]), &token));
    }

    proptest! {
        #[test]
        fn masking_round_trips_and_never_repeats_across_pads(
            secret in any::<[u8; SECRET_BYTES]>(),
            pad_a in any::<[u8; SECRET_BYTES]>(),
            pad_b in any::<[u8; SECRET_BYTES]>(),
        ) {
            let token = csrf_token(secret);
            let a = mask_csrf(&token, pad_a);
            let b = mask_csrf(&token, pad_b);
            prop_assert!(csrf_matches(&a, &token));
            prop_assert!(csrf_matches(&b, &token));
            prop_assert_eq!(a == b, pad_a == pad_b);
        }
    }

    #[test]
    fn api_token_round_trips_and_carries_the_workspace() {
        let c = Credential::new(ws(), [7; SECRET_BYTES]);
        let token = c.to_api_token();
        assert!(token.starts_with("rpt_"));
        assert_eq!(token.len(), 4 + ENCODED_LEN);
        let parsed = Credential::parse_api_token(&token);
        assert_eq!(parsed.as_ref().map(Credential::workspace_id), Ok(ws()));
        assert_eq!(parsed, Ok(c));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let good = Credential::new(ws(), [1; SECRET_BYTES]).to_api_token();
        let cases = [
            String::new(),
            "rpt_".into(),
            good.trim_start_matches("rpt_").to_owned(),
            format!("{good}A"),
            good[..good.len() - 1].to_owned(),
            good.replace("rpt_", "RPT_"),
            format!("rpt_{}", "!".repeat(ENCODED_LEN)),
            "Bearer rpt_x".into(),
        ];
        for bad in cases {
            assert_eq!(
                Credential::parse_api_token(&bad),
                Err(MalformedCredential),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_hash_depends_on_the_secret_only() {
        let a = Credential::new(ws(), [1; SECRET_BYTES]);
        let b = Credential::new(
            WorkspaceId::from_uuid(Uuid::from_u128(9)),
            [1; SECRET_BYTES],
        );
        let c = Credential::new(ws(), [2; SECRET_BYTES]);
        assert_eq!(a.hash(), b.hash());
        assert_ne!(a.hash(), c.hash());
    }

    #[test]
    fn debug_hides_the_secret() {
        let c = Credential::new(ws(), [0xAB; SECRET_BYTES]);
        let shown = format!("{c:?}");
        assert!(!shown.contains("171"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn hint_shows_only_the_tail() {
        assert_eq!(token_hint("rpt_abcdefWXYZ"), "rpt_…WXYZ");
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,100}") {
            let _ = Credential::parse_api_token(&s);
            let _ = Credential::parse_cookie_value(&s);
        }

        #[test]
        fn every_secret_round_trips(secret in proptest::array::uniform32(any::<u8>()), ws in any::<u128>()) {
            let c = Credential::new(WorkspaceId::from_uuid(Uuid::from_u128(ws)), secret);
            prop_assert_eq!(Credential::parse_cookie_value(&c.to_cookie_value()), Ok(c.clone()));
            prop_assert_eq!(Credential::parse_api_token(&c.to_api_token()), Ok(c));
        }
    }
}
