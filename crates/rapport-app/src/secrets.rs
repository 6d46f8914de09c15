//! Randomness and password hashing.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use rapport_core::password::NewPassword;
use rapport_core::secret::SECRET_BYTES;
use tokio::sync::Semaphore;

use crate::error::AppError;

pub fn random_secret() -> Result<[u8; SECRET_BYTES], AppError> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "the operating system's random source failed");
        AppError::Internal
    })?;
    Ok(bytes)
}

/// Argon2id with OWASP's minimum parameters (19 MiB, 2 passes). Hashing runs on the blocking
/// pool and at most `parallel` at once, so a login flood cannot exhaust memory or starve the
/// async workers.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the user does not exist, so that
    /// unknown users cost the same time as wrong passwords.
    decoy: Arc<OnceLock<String>>,
}

impl PasswordHasher {
    pub fn new(parallel: usize) -> Self {
        Self {
            params: Params::default(),
            permits: Arc::new(Semaphore::new(parallel.max(1))),
            decoy: Arc::new(OnceLock::new()),
        }
    }

    fn argon2(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, AppError> {
        let password = password.expose().to_owned();
        let params = self.params.clone();
        self.blocking(move || {
            Self::argon2(params)
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| {
                    tracing::error!(error = %e, "password hashing failed");
                    AppError::Internal
                })
        })
        .await
    }

    /// True when `password` matches `stored`. With `stored = None` it verifies against the
    /// decoy and returns false, taking the same time.
    pub async fn verify(&self, password: &str, stored: Option<String>) -> Result<bool, AppError> {
        let password = password.to_owned();
        let params = self.params.clone();
        let decoy = Arc::clone(&self.decoy);
        self.blocking(move || {
            let real = stored.is_some();
            let phc = match stored {
                Some(s) => s,
                None => decoy_hash(&decoy, params)?,
            };
            let Ok(parsed) = PasswordHash::new(&phc) else {
                tracing::error!("a stored password hash does not parse");
                return Ok(false);
            };
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(real && matches)
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            tracing::error!(error = %e, "password task panicked");
            AppError::Internal
        })?
    }
}

fn decoy_hash(decoy: &OnceLock<String>, params: Params) -> Result<String, AppError> {
    if let Some(h) = decoy.get() {
        return Ok(h.clone());
    }
    let random = random_secret()?;
    let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(&random)
        .map(|h| h.to_string())
        .map_err(|_| AppError::Internal)?;
    Ok(decoy.get_or_init(|| hash).clone())
}
