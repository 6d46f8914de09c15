use std::sync::Arc;

use rapport_app::App;

/// How the HTTP layer behaves; everything has a safe default.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Browser origins allowed to call the API cross-origin. Empty: CORS denied.
    pub cors_origins: Vec<String>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Served over TLS (directly or behind a proxy): cookies get `Secure` and the
    /// `__Host-` prefix, and responses carry HSTS.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Serve `/metrics` on the main address to admin tokens. Off when a separate metrics
    /// address is configured, where it is served to anyone who can reach that address.
    pub metrics_on_main: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            trust_proxy: false,
            metrics_on_main: true,
        }
    }
}

impl WebConfig {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-rapport_session"
        } else {
            "rapport_session"
        }
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: crate::metrics::Metrics,
}
